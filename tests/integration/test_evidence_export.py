"""Signed evidence export on real servers: two synthetic cameras recorded through MediaMTX by ffmpeg into MinIO,
exported over one range as a folder and as a ZIP, verified, and refused after one changed byte of an MP4 or of
the manifest. The MP4s hold the recorded packets themselves (nothing re-encoded)."""

from __future__ import annotations

import asyncio
import json
import shutil
import struct
import subprocess
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from tests.fixtures.core import CoreFactory, record_synthetic_cameras
from tests.fixtures.servers import CameraFactory, S3Target
from video_streaming.adapters.overlay import burn_overlay, overlay_filter
from video_streaming.core import VidStreamCore
from video_streaming.domain.errors import InvalidInput
from video_streaming.evidence import MANIFEST, export_evidence, fingerprint, signing_key, verify_evidence
from video_streaming.export import cache_path
from video_streaming.runtime.mediamtx_server import MediaMTXServer


def packet_hashes(path: Path) -> list[str]:
    """MD5 of every video packet, in order (equal packets: copied, not re-encoded)."""
    argv = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=data_hash",
            "-show_data_hash", "MD5", "-of", "csv=p=0", str(path)]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=True)
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def flip_one_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def member_data(path: Path, name: str) -> tuple[int, int]:
    """(offset, size) of a stored ZIP member's bytes: after its local header (30 bytes, its name, its extra)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    with path.open("rb") as handle:
        handle.seek(info.header_offset + 26)
        name_length, extra_length = struct.unpack("<HH", handle.read(4))
    return info.header_offset + 30 + name_length + extra_length, info.file_size


async def record_two(core: VidStreamCore, mediamtx: MediaMTXServer, camera_factory: CameraFactory) -> list[str]:
    await core.start()
    ids, _ = await record_synthetic_cameras(core, mediamtx, camera_factory, {"cam1": "Dock", "cam2": "Gate"}, {})
    await asyncio.sleep(6)
    for camera_id in ids:
        await core.stop_recording(camera_id)
    assert await core.archiver.drain(timeout=30)
    return ids


async def test_a_signed_export_of_two_cameras_verifies_and_fails_after_one_changed_byte(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, minio: S3Target,
    tmp_path: Path,
) -> None:  # fmt: skip
    core = core_factory(minio)
    ids = await record_two(core, mediamtx, camera_factory)
    first = [core.catalog.segments(camera_id=camera_id)[0] for camera_id in ids]
    start = max(s.start for s in first) + timedelta(seconds=1)
    end = start + timedelta(seconds=3)
    key_path = tmp_path / "data-keys" / "evidence.pem"
    cache = tmp_path / "cache"
    reported: list[tuple[int, int]] = []
    mark = (await core.bookmarks.add("Forklift", ids[:1], start, start + timedelta(seconds=1), "pallet")).bookmark

    began = time.monotonic()
    result = await export_evidence(core, ids, start, end, tmp_path / "case-17", lambda d, t: reported.append((d, t)),
                                   key_path=key_path, cache_dir=cache, actor="ana")  # fmt: skip
    exported_in = time.monotonic() - began
    began = time.monotonic()
    verified = verify_evidence(result.path, pinned=result.fingerprint)
    print(f"signed export of 2 cameras x 3 s from MinIO: {exported_in * 1000:.0f} ms; "
          f"verified in {(time.monotonic() - began) * 1000:.0f} ms")
    folder = result.path
    assert result.files == 2 and result.without_footage == []
    assert reported[-1] == (2000, 2000) and [d for d, _ in reported] == sorted(d for d, _ in reported)
    assert key_path.stat().st_mode & 0o777 == 0o600, "the signing key is private"
    assert result.fingerprint == fingerprint(signing_key(key_path).public_key()), "the same key on the next use"
    manifest = json.loads((folder / MANIFEST).read_text())
    assert [(c["id"], c["name"]) for c in manifest["cameras"]] == list(zip(ids, ["Dock", "Gate"], strict=True))
    assert manifest["exported_by"]["actor"] == "ana" and manifest["app"]["version"]
    assert manifest["range"] == {"start": start.isoformat(), "end": end.isoformat()}
    assert manifest["signing_key"]["fingerprint"] == result.fingerprint
    assert [(b["id"], b["name"], b["cameras"]) for b in manifest["bookmarks"]] == [(str(mark.id), "Forklift", ids[:1])]
    mp4s = sorted(folder.glob("*.mp4"))
    assert len(mp4s) == 2
    for entry in manifest["cameras"]:
        camera_id, mp4 = entry["id"], folder / entry["files"][0]["path"]
        # Nothing re-encoded: every video packet of the export is a packet of that camera's recorded segments.
        recorded: set[str] = set()
        for segment in core.catalog.segments(camera_id=camera_id):  # those of the range were fetched
            if cache_path(cache, segment.object_key).is_file():
                recorded |= set(packet_hashes(cache_path(cache, segment.object_key)))
        exported = packet_hashes(mp4)
        assert len(exported) >= 2 * 25 and set(exported) <= recorded, mp4.name

    assert verified.ok, verified.problems
    assert sorted(verified.checked) == [p.name for p in mp4s]
    assert not verify_evidence(folder, pinned="SHA256:" + "0" * 64).ok, "a pinned key of another workstation fails"

    changed_mp4 = tmp_path / "changed-mp4"
    shutil.copytree(folder, changed_mp4)
    flip_one_byte(changed_mp4 / mp4s[1].name, mp4s[1].stat().st_size // 2)
    verdict = verify_evidence(changed_mp4)
    assert verdict.problems == [f"{mp4s[1].name}: its SHA-256 differs from the manifest's: changed after the export"]

    changed_manifest = tmp_path / "changed-manifest"
    shutil.copytree(folder, changed_manifest)
    text = (changed_manifest / MANIFEST).read_bytes()
    flip_one_byte(changed_manifest / MANIFEST, text.index(b'"actor": "ana"') + len(b'"actor": "a'))  # "ana" -> "aoa"
    verdict = verify_evidence(changed_manifest)
    assert len(verdict.problems) == 1 and "signature does not match manifest.json" in verdict.problems[0]

    audit = [(actor, action) for _, actor, action, _, _ in core.catalog.audit_log()]
    assert ("ana", "evidence-export") in audit


async def test_a_zip_export_verifies_and_a_changed_member_fails_and_a_full_folder_is_refused(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, minio: S3Target,
    tmp_path: Path,
) -> None:  # fmt: skip
    core = core_factory(minio)
    ids = await record_two(core, mediamtx, camera_factory)
    start = max(core.catalog.segments(camera_id=c)[0].start for c in ids) + timedelta(seconds=1)
    end = start + timedelta(seconds=2)
    key_path = tmp_path / "keys" / "evidence.pem"
    result = await export_evidence(core, ids, start, end, tmp_path / "case.zip", key_path=key_path,
                                   cache_dir=tmp_path / "cache")  # fmt: skip
    assert result.path.is_file() and verify_evidence(result.path).ok
    assert not list(tmp_path.glob(".case.zip*")), "no partial package is left behind"
    with zipfile.ZipFile(result.path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    mp4 = sorted(name for name in members if name.endswith(".mp4"))[0]
    data = bytearray(members[mp4])
    data[len(data) // 3] ^= 0x80
    members[mp4] = bytes(data)
    with zipfile.ZipFile(tmp_path / "tampered.zip", "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    verdict = verify_evidence(tmp_path / "tampered.zip")
    assert not verdict.ok and verdict.problems == [f"{mp4}: its SHA-256 differs from the manifest's: changed after "
                                                   "the export"]  # fmt: skip

    # One byte changed in place inside the ZIP (no rewrite): the ZIP's own CRC fails first, and says which file.
    in_place = tmp_path / "in-place.zip"
    shutil.copy(result.path, in_place)
    start_of_mp4, mp4_size = member_data(in_place, mp4)
    flip_one_byte(in_place, start_of_mp4 + mp4_size // 2)
    verdict = verify_evidence(in_place)
    assert len(verdict.problems) == 1 and verdict.problems[0].startswith(f"{mp4}: changed inside the ZIP")
    manifest_changed = tmp_path / "manifest-in-place.zip"
    shutil.copy(result.path, manifest_changed)
    flip_one_byte(manifest_changed, member_data(manifest_changed, MANIFEST)[0] + 40)
    verdict = verify_evidence(manifest_changed)
    assert len(verdict.problems) == 1 and "manifest.json" in verdict.problems[0] and "changed" in verdict.problems[0]

    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("keep me")
    with pytest.raises(InvalidInput, match="already exists"):
        await export_evidence(core, ids, start, end, tmp_path / "busy", key_path=key_path)
    with pytest.raises(InvalidInput, match="no camera 0000"):
        await export_evidence(core, [ids[0], "0000"], start, end, tmp_path / "typo", key_path=key_path)
    assert not (tmp_path / "typo").exists()
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["notes.txt"], "nothing was overwritten"


def frame(path: Path, index: int, extra_filter: str = "") -> np.ndarray:
    """Frame number `index` of the video as RGB, optionally through one more filter (after it is chosen)."""
    chain = f"select=eq(n\\,{index})" + (f",{extra_filter}" if extra_filter else "")
    argv = ["ffmpeg", "-v", "error", "-i", str(path), "-vf", chain, "-frames:v", "1", "-f", "rawvideo",
            "-pix_fmt", "rgb24", "-"]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, timeout=60, check=True)
    return np.frombuffer(done.stdout, np.uint8).reshape(360, 640, 3).astype(np.int16)


async def test_the_overlay_burns_the_name_and_the_recorded_time_into_a_signed_re_encoded_copy(
    core_factory: CoreFactory, mediamtx: MediaMTXServer, camera_factory: CameraFactory, minio: S3Target,
    tmp_path: Path,
) -> None:  # fmt: skip
    core = core_factory(minio)
    ids = await record_two(core, mediamtx, camera_factory)
    start = max(core.catalog.segments(camera_id=c)[0].start for c in ids) + timedelta(seconds=1)
    end = start + timedelta(seconds=3)
    reported: list[tuple[int, int]] = []
    result = await export_evidence(core, ids, start, end, tmp_path / "case", lambda d, t: reported.append((d, t)),
                                   key_path=tmp_path / "key.pem", cache_dir=tmp_path / "cache",
                                   overlay=burn_overlay)  # fmt: skip
    assert result.files == 4 and verify_evidence(result.path).ok
    assert reported[-1] == (2000, 2000) and [d for d, _ in reported] == sorted(d for d, _ in reported)
    assert any(1000 < d < 2000 and d % 1000 > 500 for d, _ in reported), "the re-encode reports progress too"
    manifest = json.loads((result.path / MANIFEST).read_text())
    entry = manifest["cameras"][0]
    copy, burnt = entry["files"]
    assert "overlay" not in copy and burnt["overlay"] and burnt["re_encoded"] and burnt["from"] == copy["path"]

    # The frame shown half a second after a whole second of the clip's first moment: its burnt text is the
    # name and that time, as drawtext draws the same text on the same frame of the untouched copy.
    first = datetime.fromisoformat(entry["covered"]["start"])
    index = 25 + round(((0.5 - first.timestamp()) % 1.0) * 25)
    moment = first + timedelta(seconds=index / 25)
    burnt_frame = frame(result.path / burnt["path"], index)
    box = (slice(0, 40), slice(0, 420))

    def drawn(at: datetime) -> np.ndarray:
        text = tmp_path / f"text-{at:%H%M%S}.txt"
        text.write_text(f"Dock  {at:%Y-%m-%d %H:%M:%S} UTC", encoding="utf-8")
        return frame(result.path / copy["path"], index, overlay_filter(text))

    def differing(other: np.ndarray) -> int:
        """Pixels of the box that differ strongly: text drawn differently, not re-encoding noise."""
        return int((np.abs(burnt_frame[box] - other[box]).max(axis=2) > 96).sum())

    right, wrong = differing(drawn(moment)), differing(drawn(moment + timedelta(seconds=1)))
    untouched = differing(frame(result.path / copy["path"], index))
    print(f"overlay box, pixels unlike: the expected text {right}, a second later {wrong}, no text {untouched}")
    assert right < 20 and wrong > 5 * right + 20 and untouched > 20 * right + 200
    # Elsewhere the picture is the same footage (re-encoded at a high quality).
    assert float(np.abs(burnt_frame[60:] - frame(result.path / copy["path"], index)[60:]).mean()) < 4
