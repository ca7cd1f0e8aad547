"""`vidstream motion`: settings for a headless recorder, events and search from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli_and_check import vidstream
from video_streaming.catalog import Catalog
from video_streaming.motion.store import MotionStore


def test_cli_turns_motion_detection_on_and_lists_and_searches(tmp_path: Path) -> None:
    added = vidstream(tmp_path, "cameras", "add", "Yard", "rtsp://192.0.2.10/stream")
    assert added.returncode == 0, added.stderr[-2000:]
    camera_id = added.stdout.strip()
    turned = vidstream(tmp_path, "motion", "set", camera_id, "--sensitivity", "70", "--mask", "0,0,0.3,0.3")
    assert turned.returncode == 0 and "on, sensitivity 70, 1 mask(s)" in turned.stdout, turned.stderr[-2000:]
    catalog = Catalog(tmp_path / "data" / "vidstream" / "catalog.sqlite3")
    stored = MotionStore(catalog).settings(camera_id)
    assert stored.enabled and stored.sensitivity == 70 and stored.masks == (((0, 0), (0.3, 0), (0.3, 0.3), (0, 0.3)),)
    catalog.close()
    off = vidstream(tmp_path, "motion", "set", camera_id, "--off")
    assert off.returncode == 0 and "off" in off.stdout
    unknown = vidstream(tmp_path, "motion", "set", "no-such-camera")
    assert unknown.returncode == 2 and "error" in unknown.stderr
    bad_region = vidstream(tmp_path, "motion", "search", camera_id, "--region", "0.5,0,0.2,1")
    assert bad_region.returncode == 2 and "inside the picture" in bad_region.stderr
    searched = vidstream(tmp_path, "motion", "search", camera_id)
    assert searched.returncode == 0 and searched.stdout.strip() == ""  # nothing detected yet
    events = vidstream(tmp_path, "motion", "events")
    assert events.returncode == 0 and events.stdout.strip() == ""
