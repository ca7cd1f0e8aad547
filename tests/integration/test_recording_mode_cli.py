"""`vidstream cameras … --mode` / `cameras mode`: a headless recorder's cameras get their recording mode."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli_and_check import vidstream
from video_streaming.catalog import Catalog
from video_streaming.domain.camera import RecordingMode


def test_cli_sets_and_lists_each_cameras_recording_mode(tmp_path: Path) -> None:
    added = vidstream(tmp_path, "cameras", "add", "Yard", "rtsp://192.0.2.10/stream", "--mode", "motion")
    assert added.returncode == 0, added.stderr[-2000:]
    yard = added.stdout.strip()
    plain = vidstream(tmp_path, "cameras", "add", "Gate", "rtsp://192.0.2.11/stream")
    gate = plain.stdout.strip()
    listed = vidstream(tmp_path, "cameras", "list")
    assert listed.returncode == 0, listed.stderr[-2000:]
    lines = {line.split()[0]: line for line in listed.stdout.splitlines() if line.strip()}
    assert lines[yard].rstrip().endswith("motion") and lines[gate].rstrip().endswith("continuous"), listed.stdout
    changed = vidstream(tmp_path, "cameras", "mode", gate, "manual")
    assert changed.returncode == 0 and "Gate records only when asked" in changed.stdout, changed.stderr[-2000:]
    catalog = Catalog(tmp_path / "data" / "vidstream" / "catalog.sqlite3")
    modes = {str(c.id): c.recording_mode for c in catalog.cameras()}
    assert modes == {yard: RecordingMode.MOTION, gate: RecordingMode.MANUAL}
    assert any(action == "recording-mode" and target == gate for _, _, action, target, _ in catalog.audit_log())
    catalog.close()
    bad = vidstream(tmp_path, "cameras", "mode", gate, "sometimes")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    unknown = vidstream(tmp_path, "cameras", "mode", "no-such-camera", "motion")
    assert unknown.returncode == 2 and "no camera with id" in unknown.stderr
