"""The core's services wired from port fakes alone (catalog on `:memory:`): what the recording lifecycle
files for the recorder's events, how the health poll re-provisions a restarted media server, and what a
crash recovery adopts. The same behaviour on the real servers is in tests/integration/test_core_real.py."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.unit.fakes import FakeMediaFiles, FakeMediaServer, FakeSegmentRecorder, FakeStorage
from video_streaming.archiver import Archiver
from video_streaming.catalog import Catalog
from video_streaming.core import VidStreamCore
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import InvalidInput, SourceUnavailable, VidStreamError
from video_streaming.domain.recording import Recording
from video_streaming.motion.events import MotionEvent
from video_streaming.motion.service import MotionService
from video_streaming.motion.store import MotionStore
from video_streaming.ports import Diagnosis
from video_streaming.recorder_events import RecordingFailedEvent, RecordingGap, RecordingNotice, SegmentClosed
from video_streaming.retention import RetentionEnforcer
from video_streaming.secrets import SecretStore
from video_streaming.service import StreamingService

Fakes = tuple[VidStreamCore, FakeMediaServer, FakeSegmentRecorder, list[tuple[str, str]]]


def core_on_fakes(tmp_path: Path, catalog: Catalog) -> Fakes:
    storage = FakeStorage()
    secrets = SecretStore(tmp_path / "secrets.json", use_keyring=False)
    mediamtx, recorder = FakeMediaServer(secrets=secrets.get), FakeSegmentRecorder()
    def camera_key(camera_id: object) -> str:  # as bootstrap files recordings: under the camera's key
        camera = catalog.camera(str(camera_id))
        return camera.key if camera else "camera"

    service = StreamingService(mediamtx, recorder, storage, recordings_dir=tmp_path / "recordings", ready_timeout=2,
                               camera_keys=camera_key, diagnostics=mediamtx)  # fmt: skip
    core = VidStreamCore(
        service=service, catalog=catalog, recorder=recorder, archiver=Archiver(catalog, storage),
        retention=RetentionEnforcer(catalog, storage), mediamtx=mediamtx, storage=storage,
        secrets=secrets, recordings_dir=tmp_path / "recordings",
        media_files=FakeMediaFiles(1.5), min_free_bytes=1,
    )  # fmt: skip
    alerts: list[tuple[str, str]] = []
    core.alert_listeners.append(lambda level, message: alerts.append((level, message)))
    return core, mediamtx, recorder, alerts


@pytest.fixture
async def fakes(tmp_path: Path) -> AsyncIterator[Fakes]:
    built = core_on_fakes(tmp_path, Catalog(":memory:"))
    await built[0].start()
    yield built
    await built[0].close()


async def recording_of(core: VidStreamCore, name: str = "Gate") -> tuple[str, Recording]:
    camera_id = str(core.add_camera(name, "rtsp://admin@cam.example:554/stream", password="s3cret").value.id)
    started = await core.record(camera_id)
    assert started.is_success, started.error
    return camera_id, started.value


def segment_file(recording_dir: Path, name: str) -> Path:
    path = recording_dir / name
    path.write_bytes(b"\x00" * 64)
    return path


async def test_a_gap_pauses_the_recording_with_the_servers_reason_and_its_end_resumes_it(fakes: Fakes) -> None:
    core, mediamtx, recorder, alerts = fakes
    camera_id, recording = await recording_of(core)
    mediamtx.reasons[core.streams[camera_id].path_name] = "the camera closed the connection (EOF)"
    began = utc_now()
    recorder.emit(RecordingGap(recording.id, began, None, "ffmpeg exited"))
    assert core.is_recording_paused(camera_id)
    assert alerts[-1] == ("warning", "Gate: recording paused: the camera closed the connection (EOF)")
    assert core.catalog.gaps(str(recording.id)) == [(began, None, "the camera closed the connection (EOF)")]

    recorder.emit(RecordingGap(recording.id, began, began + timedelta(seconds=3), "ffmpeg exited"))
    assert not core.is_recording_paused(camera_id) and core.is_recording(camera_id)
    assert alerts[-1] == ("info", "Gate: recording resumed")
    assert core.catalog.gaps(str(recording.id))[0][1] == began + timedelta(seconds=3)


async def test_segments_are_filed_under_the_prefix_fixed_at_the_start_even_after_a_rename(fakes: Fakes) -> None:
    core, _, recorder, _ = fakes
    camera_id, recording = await recording_of(core)
    folder = recorder.running[recording.id]
    recorder.emit(SegmentClosed(recording.id, segment_file(folder, "20261203T080000Z-0.mp4"), utc_now(), 2.0))
    camera = core.camera(camera_id)
    renamed = core.edit_camera(camera_id, name="Back door", url=camera.source.url)
    assert renamed.is_success, renamed.error
    assert renamed.value.key != camera.key
    recorder.emit(SegmentClosed(recording.id, segment_file(folder, "20261203T080002Z-0.mp4"), utc_now(), 2.0))
    empty = folder / "20261203T080004Z-0.mp4"
    empty.touch()
    recorder.emit(SegmentClosed(recording.id, empty, utc_now(), 0.0, partial=True))

    keys = [s.object_key for s in core.catalog.segments(recording_id=str(recording.id))]
    names = ["20261203T080000Z-0.mp4", "20261203T080002Z-0.mp4"]
    assert keys == [recording.storage_path + name for name in names]
    assert recording.storage_path.startswith(camera.key + "/"), recording.storage_path
    assert not empty.exists(), "a 0-byte segment is removed, never catalogued"


async def test_a_failed_recording_ends_in_the_catalog_and_the_alert_says_why(fakes: Fakes) -> None:
    core, _, recorder, alerts = fakes
    camera_id, recording = await recording_of(core)
    recorder.emit(RecordingNotice(recording.id, "the audio (G.711) cannot be stored and is left out"))
    assert alerts[-1] == ("warning", "Gate: the audio (G.711) cannot be stored and is left out")
    recorder.emit(RecordingFailedEvent(recording.id, SourceUnavailable("the camera stopped sending")))
    assert not core.is_recording(camera_id)
    row = core.catalog.recording(recording.id)
    assert row is not None and row.status == "error" and row.ended_at is not None
    assert alerts[-1] == ("error", "Gate: recording stopped: the camera stopped sending")


async def test_the_poll_provisions_again_what_a_restarted_media_server_lost(fakes: Fakes) -> None:
    core, mediamtx, _, _ = fakes
    camera_id, _ = await recording_of(core)
    path = core.streams[camera_id].path_name
    mediamtx.paths.clear()  # the server restarted with none of our paths
    health = await core.poll()
    assert health.mediamtx_ok
    assert mediamtx.paths == {path: "rtsp://admin:s3cret@cam.example:554/stream"}  # the password joined here only
    assert (await core.poll()).cameras_online == 1


async def test_a_probe_of_an_unreachable_camera_fails_with_the_reason_and_provisions_nothing(fakes: Fakes) -> None:
    core, mediamtx, _, _ = fakes
    mediamtx.unreachable["rtsp://nowhere.invalid/x"] = Diagnosis("nowhere.invalid does not resolve", "check the name")
    with pytest.raises(VidStreamError, match=r"nowhere\.invalid does not resolve"):
        await core.probe_camera("rtsp://nowhere.invalid/x")
    assert mediamtx.paths == {}


async def test_recovery_closes_an_interrupted_recording_and_adopts_its_unknown_files(fakes: Fakes) -> None:
    core, _, recorder, _ = fakes
    _, recording = await recording_of(core)
    folder = recorder.running[recording.id]
    known = segment_file(folder, "20261203T080000Z-0.mp4")
    recorder.emit(SegmentClosed(recording.id, known, utc_now(), 2.0))
    orphan = segment_file(folder, "20261203T080002Z-0.mp4")
    core.active_recordings.clear()  # as after a crash: the catalog says "recording", nothing runs

    assert await core.recover() == 1
    row = core.catalog.recording(recording.id)
    assert row is not None and row.status == "stopped"
    adopted = [s for s in core.catalog.segments(recording_id=str(recording.id)) if s.local_path == str(orphan)]
    assert len(adopted) == 1 and adopted[0].duration == 1.5 and adopted[0].partial
    assert row.ended_at is not None and row.ended_at >= adopted[0].start + timedelta(seconds=1.5)
    assert uuid.UUID(row.id) == recording.id


async def test_a_camera_that_never_gets_ready_fails_with_what_the_server_knows(fakes: Fakes) -> None:
    core, mediamtx, _, _ = fakes
    mediamtx.never_ready = True
    camera_id = str(core.add_camera("Dock", "rtsp://dock.example/live").value.id)
    mediamtx.unreachable["rtsp://dock.example/live"] = Diagnosis("dock.example refused the connection", "is it on?")
    started = await core.start_camera(camera_id)
    assert started.is_failure and started.error is not None
    assert "dock.example refused the connection" in started.error.message and started.error.hint == "is it on?"
    assert mediamtx.paths == {}, "a camera that never got ready leaves no path behind"


async def test_a_login_given_apart_is_kept_as_a_secret_and_joined_only_for_the_media_server(fakes: Fakes) -> None:
    core, mediamtx, _, _ = fakes
    added = core.add_camera("Lobby", "rtsp://10.0.0.5/stream", username="admin", password="s3cret/!")
    assert added.is_success, added.error
    camera = core.camera(str(added.value.id))
    stored = (camera.source.url, camera.source.username, camera.source.password)
    assert stored == ("rtsp://10.0.0.5/stream", "admin", ""), "the catalog holds no password"
    assert core.camera_credentials(str(camera.id)) == ("admin", "s3cret/!")
    # What the live streams hand on names the stored password; only the media server's side reads it.
    source = core.camera_source(camera)
    assert (source.url, source.username, source.password) == ("rtsp://10.0.0.5/stream", "admin", "")
    assert source.password_secret and "s3cret" not in repr(source)
    with pytest.raises(InvalidInput):
        source.with_credentials()  # without the store it is refused, never pulled without its password

    # The login meets the address only as the URL leaves for the media server; the stream keeps it apart.
    started = await core.start_camera(str(camera.id))
    assert started.is_success, started.error
    assert mediamtx.pulled[-1] == "rtsp://admin:s3cret%2F%21@10.0.0.5/stream"
    assert started.value.source_url == "rtsp://10.0.0.5/stream" and "s3cret" not in repr(started.value)
    assert started.value.source is not None and not started.value.source.password, "the stream keeps no secret"

    assert await core.probe_camera("rtsp://10.0.0.9/live", username="viewer", password="p@ss") == ""
    assert mediamtx.pulled[-1] == "rtsp://viewer:p%40ss@10.0.0.9/live"
    assert list(mediamtx.paths) == [started.value.path_name], "the test's path is removed once it answered"


def _never_started_frames(url: str, on_frame: object, on_state: object) -> object:
    raise AssertionError("no camera is watched in this test")


async def test_motion_events_a_killed_run_left_open_end_at_their_peak_when_the_core_starts(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    store = MotionStore(catalog)
    store.add_event(MotionEvent("gate", start=1_700_000_000.0, peak_at=1_700_000_004.5, peak_area=0.2))
    store.add_event(MotionEvent("yard", start=1_700_000_100.0, end=1_700_000_103.0, peak_at=1_700_000_101.0))
    core = core_on_fakes(tmp_path, catalog)[0]
    core.attach_motion(MotionService(store, _never_started_frames))  # type: ignore[arg-type]
    assert [event.end for event in store.events("gate")] == [None]  # as the killed run left it: "(now)"
    await core.start()
    try:
        assert [event.end for event in store.events("gate")] == [1_700_000_004.5]
        assert [event.end for event in store.events("yard")] == [1_700_000_103.0]  # an ended one is untouched
    finally:
        await core.close()


def test_an_open_event_of_a_camera_watched_now_stays_open() -> None:
    store = MotionStore(Catalog(":memory:"))
    store.add_event(MotionEvent("gate", start=10.0, peak_at=12.0))
    store.add_event(MotionEvent("yard", start=20.0, peak_at=21.0))
    assert store.close_open_events(watched=("yard",)) == 1
    assert [event.end for event in store.events("gate")] == [12.0]
    assert [event.end for event in store.events("yard")] == [None]
