"""`vidstream bookmark`, the multi-camera `vidstream export` and `vidstream verify` end to end: the demo
recorded by `serve --demo` (embedded MediaMTX, MinIO and synthetic cameras), then the commands as an
operator types them."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from pathlib import Path

from tests.integration.test_cli_and_check import vidstream
from video_streaming.catalog import Catalog


def test_bookmark_export_and_verify_from_the_command_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("demo_cameras = 2\n[recording]\nsegment_seconds = 2\n", encoding="utf-8")
    served = vidstream(tmp_path, "--config", str(config), "serve", "--demo", "--duration", "8")
    assert served.returncode == 0, served.stderr[-2000:]
    catalog = Catalog(tmp_path / "data" / "vidstream" / "catalog.sqlite3")
    cameras = sorted({s.camera_id for s in catalog.segments()})
    start = max(catalog.segments(camera_id=c)[0].start for c in cameras) + timedelta(seconds=1)
    catalog.close()
    end = start + timedelta(seconds=2)
    assert len(cameras) == 2
    span = ["--from", start.isoformat(), "--to", end.isoformat()]
    both = [arg for camera_id in cameras for arg in ("--camera", camera_id)]

    added = vidstream(tmp_path, "--config", str(config), "bookmark", "add", *both, *span, "--name", "Dock incident",
                      "--note", "forklift hit the door")  # fmt: skip
    assert added.returncode == 0, added.stderr[-2000:]
    bookmark_id = added.stdout.strip()
    listed = vidstream(tmp_path, "--config", str(config), "bookmark", "list", "--text", "FORKLIFT")
    assert listed.returncode == 0 and listed.stdout.startswith(bookmark_id) and "'Dock incident'" in listed.stdout
    none = vidstream(tmp_path, "--config", str(config), "bookmark", "list", "--until",
                     (start - timedelta(hours=1)).isoformat())  # fmt: skip
    assert none.returncode == 0 and none.stdout == ""

    package = tmp_path / "case.zip"
    exported = vidstream(tmp_path, "--config", str(config), "export", *both, *span, str(package))
    assert exported.returncode == 0, exported.stderr[-2000:]
    assert "exporting 2 camera(s): 100 %" in exported.stderr and "signed by SHA256:" in exported.stdout
    fingerprint = exported.stdout.split("signed by ")[1].strip()
    key = vidstream(tmp_path, "--config", str(config), "evidence-key")
    assert key.returncode == 0 and key.stdout.split()[0] == fingerprint, "the workstation tells its key to pin"
    verified = vidstream(tmp_path, "verify", str(package), "--fingerprint", fingerprint)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.count("ok  ") == 2 and "verified:" in verified.stdout

    with zipfile.ZipFile(package) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    manifest = bytearray(members["manifest.json"])
    manifest[manifest.index(b'"start"') + 10] ^= 0x01  # one byte of the range
    members["manifest.json"] = bytes(manifest)
    with zipfile.ZipFile(tmp_path / "tampered.zip", "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    refused = vidstream(tmp_path, "verify", str(tmp_path / "tampered.zip"))
    assert refused.returncode == 1
    assert "FAILED  the signature does not match manifest.json" in refused.stderr
    assert "does not verify" in refused.stderr

    single = vidstream(tmp_path, "--config", str(config), "export", "--camera", cameras[0], *span, str(tmp_path))
    assert single.returncode == 0 and single.stdout.split()[0].endswith(".mp4"), "one camera: one MP4 as before"

    removed = vidstream(tmp_path, "--config", str(config), "bookmark", "remove", bookmark_id)
    assert removed.returncode == 0, removed.stderr[-2000:]
    after = vidstream(tmp_path, "--config", str(config), "bookmark", "list")
    assert after.returncode == 0 and after.stdout == ""
