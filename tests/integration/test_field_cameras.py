"""Cameras as they are in the field, on real MediaMTX, ffmpeg and MinIO: every kind records into files
ffprobe and ffmpeg read without a complaint, and `vidstream check` stays clean."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures.core import TEST_TUNING, CoreFactory
from tests.fixtures.field_cameras import CameraServer, FieldCamera, FieldPublisher
from tests.fixtures.servers import S3Target, ffprobe_json, wait_path_ready
from video_streaming.adapters.ffmpeg import FFmpegRecorder
from video_streaming.catalog import SegmentState
from video_streaming.consistency import check
from video_streaming.core import VidStreamCore
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.ports import free_tcp_port


@pytest.fixture
def publishers(tmp_path: Path) -> Iterator[list[FieldPublisher]]:
    started: list[FieldPublisher] = []
    yield started
    for publisher in started:
        publisher.stop()


@pytest.fixture
def camera_server(tmp_path: Path) -> Iterator[CameraServer]:
    """The cameras' own RTSP server, apart from the app's MediaMTX, asking for digest credentials."""
    server = CameraServer(tmp_path / "camera-server")
    server.start()
    yield server
    server.stop()


def publish(mediamtx: MediaMTXServer | CameraServer, publishers: list[FieldPublisher], tmp_path: Path, path: str,
            camera: FieldCamera, wait: bool = True) -> FieldPublisher:  # fmt: skip
    server = mediamtx.server if isinstance(mediamtx, CameraServer) else mediamtx
    url = mediamtx.url(path) if isinstance(mediamtx, CameraServer) else mediamtx.endpoints.rtsp_url(path)
    publisher = FieldPublisher(camera, url, tmp_path)
    publisher.start()
    publishers.append(publisher)
    if wait:
        wait_path_ready(server, path)
    return publisher


def decode_errors(path: Path) -> str:
    """What decoding the whole file says (nothing for a clean file). The output keeps the file's own time base
    (`-enc_time_base -1`): at its default, the average frame rate, two frames closer than one average
    interval count as the same tick and read as "non monotonically increasing dts", which is how a camera
    clock's step at an RTCP report (a loaded publisher falling behind real time) looked. Steps and holes are
    checked on the packets themselves."""
    done = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-enc_time_base", "-1", "-f", "null", "-"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    return (done.stderr + ("" if done.returncode == 0 else f" (exit {done.returncode})")).strip()


def decoded_sizes(path: Path) -> set[str]:
    """The sizes of the pictures as decoded ("W,H")."""
    done = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "frame=width,height",
                           "-of", "csv=p=0", str(path)], capture_output=True, text=True, timeout=60)  # fmt: skip
    return set(done.stdout.split())


def codecs_of(path: Path) -> dict[str, str]:
    streams = ffprobe_json(path)["streams"]
    return {s["codec_type"]: s["codec_name"] for s in streams}  # type: ignore[union-attr, index]


async def wait_segments(core: VidStreamCore, recording_id: str, count: int, timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while len(core.catalog.segments(recording_id)) < count:
            await asyncio.sleep(0.1)


AUDIO_KINDS = {"alaw": "alaw", "mulaw": "mulaw", "opus": "opus", "aac": "aac", "silent": None}


async def test_every_audio_kind_records_video_copied_and_audio_as_aac(
    mediamtx: MediaMTXServer, minio: S3Target, core_factory: CoreFactory, publishers: list[FieldPublisher],
    tmp_path: Path,
) -> None:  # fmt: skip
    for path, audio in AUDIO_KINDS.items():
        publish(mediamtx, publishers, tmp_path, path, FieldCamera(audio=audio))
    core = core_factory(minio, segment_seconds=2)
    alerts: list[str] = []
    core.alert_listeners.append(lambda level, message: alerts.append(message))
    await core.start()
    recordings = {}
    for path in AUDIO_KINDS:
        camera = core.add_camera(path, mediamtx.endpoints.rtsp_url(path)).value
        started = await core.record(str(camera.id))
        assert started.is_success, f"{path}: {started.error}"
        recordings[path] = str(started.value.id)
    for recording_id in recordings.values():
        await wait_segments(core, recording_id, 2)
    await core.stop_all_recordings()
    assert await core.archiver.drain(timeout=30)
    assert not [a for a in alerts if "left out" in a or "damaged" in a], alerts

    for path, audio in AUDIO_KINDS.items():
        segments = core.catalog.segments(recordings[path])
        assert len(segments) >= 2, path
        for segment in segments:
            assert segment.state is SegmentState.ARCHIVED and segment.size > 0, f"{path}: {segment}"
            file = tmp_path / "archived" / segment.object_key
            file.parent.mkdir(parents=True, exist_ok=True)
            await core.storage.download_file(segment.object_key, str(file))
            expected = {"video": "h264"} | ({"audio": "aac"} if audio else {})
            assert codecs_of(file) == expected, f"{path}: {file.name}"
            assert decode_errors(file) == "", f"{path}: {file.name}"
    report = await check(core)
    assert report.clean, report.lines()


async def test_check_repair_clears_an_empty_segment_for_good(
    mediamtx: MediaMTXServer, minio: S3Target, core_factory: CoreFactory, publishers: list[FieldPublisher],
    tmp_path: Path,
) -> None:  # fmt: skip
    publish(mediamtx, publishers, tmp_path, "cam", FieldCamera())
    core = core_factory(minio, segment_seconds=2)
    await core.start()
    camera = core.add_camera("cam", mediamtx.endpoints.rtsp_url("cam")).value
    started = await core.record(str(camera.id))
    assert started.is_success, started.error
    recording_id = str(started.value.id)
    await wait_segments(core, recording_id, 1)
    await core.stop_all_recordings()
    assert await core.archiver.drain(timeout=20)
    await core.archiver.stop()  # nothing may archive the files made below before `check` sees them
    # What an older recorder left: a catalogued 0-byte segment, an empty file of a failed start, and a file
    # no recording owns.
    local_dir = Path(core.catalog.recording(recording_id).local_dir)  # type: ignore[union-attr]
    local_dir.mkdir(parents=True, exist_ok=True)
    empty_catalogued = local_dir / "20260101T000000Z-9.mp4"
    empty_catalogued.write_bytes(b"")
    core.catalog.add_segment(recording_id, str(camera.id), empty_catalogued, "cam/key-of-empty.mp4",
                             started.value.started_at, 20.0, 0)  # fmt: skip
    # and one ffmpeg closed before its first frame: boxes that describe a track but hold no fragment
    header_only = local_dir / "20260101T000003Z-11.mp4"
    header_only.write_bytes(b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00" + b"\x00\x00\x00\x08moov")
    core.catalog.add_segment(recording_id, str(camera.id), header_only, "cam/key-of-header-only.mp4",
                             started.value.started_at, 20.0, header_only.stat().st_size)  # fmt: skip
    (local_dir / "20260101T000001Z-10.mp4").write_bytes(b"")
    stray = core.recordings_dir / "cam" / "not-a-recording" / "20260101T000002Z-0.mp4"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"\x00\x00\x00\x10ftypisom\x00\x00\x02\x00")

    first = await check(core)
    assert len(first.empty) == 3 and len(first.local_orphans) == 1, first.lines()
    repaired = await check(core, repair=True)
    assert len(repaired.repaired) == 4, repaired.lines()
    assert not header_only.exists()
    again = await check(core)
    assert again.clean, again.lines()
    assert (core.recordings_dir.parent / "unadopted" / "cam" / "not-a-recording" / stray.name).exists()
    assert all(s.state is not SegmentState.CLOSED or s.size > 100 for s in core.catalog.segments(recording_id))


async def test_the_seed_recorder_without_track_lookup_learns_to_store_g711_as_aac(
    mediamtx: MediaMTXServer, publishers: list[FieldPublisher], tmp_path: Path
) -> None:
    """The seed's FFmpegRecorder is not told the codecs: ffmpeg's refusal of G.711 in MP4 leads to AAC, and the
    refused try leaves no empty file behind."""
    publish(mediamtx, publishers, tmp_path, "alaw", FieldCamera(audio="alaw"))
    recorder = FFmpegRecorder(segment_seconds=2)
    recording_id = uuid.uuid4()
    output = tmp_path / "rec"
    assert await recorder.start_recording(recording_id, mediamtx.endpoints.rtsp_url("alaw"), str(output))
    async with asyncio.timeout(15):
        while len(list(output.glob("segments-*.csv"))) < 1 or not any(
            line for csv_file in output.glob("segments-*.csv") for line in csv_file.read_text().splitlines()
        ):
            await asyncio.sleep(0.1)
    await recorder.stop_recording(recording_id)
    files = sorted(output.glob("*.mp4"))
    assert files and all(f.stat().st_size > 0 for f in files), [(f.name, f.stat().st_size) for f in files]
    attempts = {f.stem.rsplit("-", 1)[1] for f in [*files, *output.glob("segments-*.csv")]}
    assert len(attempts) == 1 and attempts != {"0"}, f"a refused try left its files: {sorted(output.iterdir())}"
    assert codecs_of(files[0]) == {"video": "h264", "audio": "aac"}
    assert decode_errors(files[0]) == ""


async def test_a_camera_down_at_start_is_retried_and_delays_no_other(
    mediamtx: MediaMTXServer, minio: S3Target, core_factory: CoreFactory, publishers: list[FieldPublisher],
    tmp_path: Path,
) -> None:  # fmt: skip
    publish(mediamtx, publishers, tmp_path, "up", FieldCamera())
    tuning = dataclasses.replace(TEST_TUNING, ready_timeout=3.0, camera_retry_min_backoff=0.5)
    core = core_factory(minio, segment_seconds=2, tuning=tuning)
    await core.start()
    late = core.add_camera("late", mediamtx.endpoints.rtsp_url("late")).value  # not publishing yet
    up = core.add_camera("up", mediamtx.endpoints.rtsp_url("up")).value
    loop = asyncio.get_running_loop()
    began = loop.time()
    core.keep_camera(str(late.id), record=True)  # first in line, and it will take its whole timeout to fail
    core.keep_camera(str(up.id), record=True)
    async with asyncio.timeout(10):
        while not core.is_recording(str(up.id)):
            await asyncio.sleep(0.05)
    assert loop.time() - began < 2.5, "the live camera waited for the dead one"

    async with asyncio.timeout(15):
        while (state := core.camera_state(str(late.id))) is None or state.state != "waiting":
            await asyncio.sleep(0.1)
    text = state.describe()
    assert text.startswith("waiting for the camera, retrying in ") and " s: " in text, text
    assert "no media" in state.reason or "not" in state.reason, state.reason
    health = await core.poll()
    assert health.camera_states[str(late.id)].state == "waiting"

    publish(mediamtx, publishers, tmp_path, "late", FieldCamera())  # the camera comes up at last
    async with asyncio.timeout(30):
        while not core.is_recording(str(late.id)):
            await asyncio.sleep(0.1)
    assert core.camera_state(str(late.id)).state == "running"  # type: ignore[union-attr]
    recording_id = str(core.active_recordings[str(late.id)].id)
    await wait_segments(core, recording_id, 1)


async def test_reasons_are_the_cameras_own_401_404_and_eof(
    mediamtx: MediaMTXServer, camera_server: CameraServer, minio: S3Target, core_factory: CoreFactory,
    publishers: list[FieldPublisher], tmp_path: Path,
) -> None:  # fmt: skip
    publisher = publish(camera_server, publishers, tmp_path, "gate", FieldCamera())
    core = core_factory(minio, segment_seconds=2)
    alerts: list[str] = []
    core.alert_listeners.append(lambda level, message: alerts.append(message))
    await core.start()
    wrong = camera_server.url("gate").replace(camera_server.password, "wrong-password")
    loop = asyncio.get_running_loop()
    for url, expected in ((wrong, "refused the credentials"), (camera_server.url("no-such-stream"), "no stream at")):
        camera = core.add_camera("cam", url).value
        began = loop.time()
        started = await core.record(str(camera.id))
        assert started.is_failure and started.error is not None
        assert expected in started.error.message, started.error.message
        assert loop.time() - began < 5, "MediaMTX said why at once; the start must not wait its full timeout"
        assert camera_server.password not in started.error.message

    gate = core.add_camera("gate", camera_server.url("gate")).value
    core.keep_camera(str(gate.id), record=True)
    async with asyncio.timeout(15):
        while not core.is_recording(str(gate.id)):
            await asyncio.sleep(0.05)
    recording_id = str(core.active_recordings[str(gate.id)].id)
    await wait_segments(core, recording_id, 1)
    publisher.stop()  # the camera reboots
    async with asyncio.timeout(20):
        while not core.catalog.gaps(recording_id):
            await asyncio.sleep(0.1)
    (_, _, reason), *_ = core.catalog.gaps(recording_id)
    assert "closed the connection" in reason and "EOF" in reason, reason
    assert "probesize" not in reason
    assert any("recording paused" in a and "EOF" in a for a in alerts), alerts
    state = core.camera_state(str(gate.id))
    assert state is not None and state.state == "waiting" and "MediaMTX" in state.reason, state
    assert state.describe().startswith("waiting for the camera, retrying in 1 s: the camera")


async def test_a_camera_rebooting_at_another_resolution_downloads_as_one_file_per_resolution(
    mediamtx: MediaMTXServer, camera_server: CameraServer, minio: S3Target, core_factory: CoreFactory,
    publishers: list[FieldPublisher], tmp_path: Path,
) -> None:  # fmt: skip
    small = FieldCamera(audio="aac")
    publisher = publish(camera_server, publishers, tmp_path, "cam", small)
    core = core_factory(minio, segment_seconds=2)
    await core.start()
    camera = core.add_camera("cam", camera_server.url("cam")).value
    started = await core.record(str(camera.id))
    assert started.is_success, started.error
    recording_id = str(started.value.id)
    await wait_segments(core, recording_id, 2)
    first_run = {s.file_name.rsplit("-", 1)[1] for s in core.catalog.segments(recording_id)}
    publisher.stop()
    publisher.start(FieldCamera(audio="aac", width=640, height=360))  # back after a reboot, at a new size
    async with asyncio.timeout(30):
        while {s.file_name.rsplit("-", 1)[1] for s in core.catalog.segments(recording_id)} <= first_run:
            await asyncio.sleep(0.1)
    count = len(core.catalog.segments(recording_id))
    await wait_segments(core, recording_id, count + 1)
    await core.stop_all_recordings()
    assert await core.archiver.drain(timeout=30)

    from video_streaming import export

    result = await export.download_recording(core, recording_id, tmp_path / "download.mp4", cache_dir=tmp_path / "c")
    assert len(result.parts) == 2, result
    sizes = []
    for part in result.parts:
        streams = ffprobe_json(part)["streams"]
        video = [s for s in streams if s["codec_type"] == "video"]  # type: ignore[index, union-attr]
        assert len(video) == 1
        sizes.append((video[0]["width"], video[0]["height"]))  # type: ignore[index]
        assert decode_errors(part) == "", part
        # Every picture decodes at the size its sample entry states.
        decoded = decoded_sizes(part)
        assert decoded == {f"{sizes[-1][0]},{sizes[-1][1]}"}, (part, decoded)
    assert sizes == [(320, 180), (640, 360)]
    assert (await check(core)).clean


MATRIX = {
    "h264-aac": FieldCamera(audio="aac"),  # the most common camera: its first frame must not stand still
    "h264-b-aac": FieldCamera(audio="aac", bframes=True),
    "h265-alaw": FieldCamera(video="h265", audio="alaw"),
    "h265-b-mulaw": FieldCamera(video="h265", audio="mulaw", bframes=True),
    "h264-opus": FieldCamera(audio="opus"),
    "mjpeg": FieldCamera(video="mjpeg", width=320, height=240),  # RTP/JPEG sizes are multiples of 8
    "h264-2160p": FieldCamera(width=3840, height=2160, fps=2, gop=2),  # the largest size, cheaply: 2 fps
    "h265-2160p": FieldCamera(video="h265", width=3840, height=2160, fps=2, gop=2),
}


def read_with_sender_reports(kind: FieldCamera) -> bool:
    """B-frames with audio that the recorder reads over RTSP (H.264 with AAC it reads over MediaMTX's RTMP,
    whose times no sender report moves: `recorder_codecs.reads_over_rtmp`)."""
    return kind.bframes and bool(kind.audio) and not (kind.video == "h264" and kind.audio == "aac")


def video_packets(path: Path) -> list[tuple[float, float]]:
    """(dts, pts) of every video packet, in file order."""
    done = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                           "packet=dts_time,pts_time", "-of", "csv=p=0", str(path)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    return [(float(d), float(p)) for p, d in (line.split(",")[:2] for line in done.stdout.split()) if d != "N/A"]


@pytest.mark.timeout(240)
async def test_camera_matrix_records_archives_and_downloads_clean_files(
    mediamtx: MediaMTXServer, camera_server: CameraServer, minio: S3Target, core_factory: CoreFactory,
    publishers: list[FieldPublisher], tmp_path: Path,
) -> None:  # fmt: skip
    """Every common kind of camera, behind a camera-side server asking for digest credentials: recorded,
    archived and downloaded into files ffprobe and ffmpeg read without a word, video copied (H.265 tagged
    hvc1), audio kept as AAC, catalog durations equal to the frames the files hold, `check` clean."""
    for path, kind in MATRIX.items():
        publish(camera_server, publishers, tmp_path, path, kind)
    core = core_factory(minio, segment_seconds=2)
    alerts: list[str] = []
    core.alert_listeners.append(lambda level, message: alerts.append(message))
    await core.start()
    ids = {path: str(core.add_camera(path, camera_server.url(path)).value.id) for path in MATRIX}
    for camera_id in ids.values():
        core.keep_camera(camera_id, record=True)
    async with asyncio.timeout(60):
        while not all(core.is_recording(camera_id) for camera_id in ids.values()):
            await asyncio.sleep(0.1)
    recordings = {path: str(core.active_recordings[camera_id].id) for path, camera_id in ids.items()}
    for recording_id in recordings.values():
        await wait_segments(core, recording_id, 3, timeout=60)
    # H.264 with AAC is recorded from MediaMTX's RTMP (no sender report re-times it), the others from its RTSP.
    e = mediamtx.endpoints
    listed = httpx.get(f"{e.api_url}/v3/rtmpconns/list", auth=(e.api_user, e.api_password), timeout=3).json()
    read_over_rtmp = {core.streams[camera_id].path_name for camera_id in ids.values()} & {
        str(conn["path"]) for conn in listed["items"] if conn["state"] == "read"
    }
    assert read_over_rtmp == {core.streams[ids[path]].path_name for path in ("h264-aac", "h264-b-aac")}
    await core.stop_all_recordings()
    assert await core.archiver.drain(timeout=60)
    assert not [a for a in alerts if "left out" in a or "damaged" in a], alerts

    from video_streaming import export

    for path, kind in MATRIX.items():
        frame = 1 / kind.fps
        segments = core.catalog.segments(recordings[path])
        for segment in segments:  # what the catalog says each segment holds is what its file holds
            file = tmp_path / "archived" / segment.object_key
            file.parent.mkdir(parents=True, exist_ok=True)
            await core.storage.download_file(segment.object_key, str(file))
            shown = sorted(pts for _, pts in video_packets(file))
            held = shown[-1] + frame - shown[0]  # from the first picture to the end of the last one
            assert abs(segment.duration - held) <= frame + 1e-3, (path, segment.file_name, segment.duration, held)
            if read_with_sender_reports(kind):
                # Not mended (no way found with ffmpeg 5.1): a sender report can move a multi-track session's
                # video back over frames already decoded (seen: a key frame 0.21 s early, mid-recording, on a
                # loaded machine), and with B-frames two pictures then share a presentation time; a run's first
                # frame can also sit up to ~0.9 s before the next (docs/pitfalls.md). Checked below: the
                # joined file's DTS increase.
                continue
            assert decode_errors(file) == "", (path, segment.file_name)
            if kind.bframes:
                # A run's first key frame stands 0.2-1.0 s before the next picture over RTMP too (measured), and
                # the recorder mends that only without B-frames (segment_timing.leading_hole): still open.
                continue
            # No still picture at a run's start (mended by the recorder).
            step = max((b - a for a, b in itertools.pairwise(shown)), default=0.0)
            assert step < 1.5 * frame, f"{path} {segment.file_name}: a {step:.2f} s hole between two pictures"
        result = await export.download_recording(core, recordings[path], tmp_path / f"{path}.mp4",
                                                 cache_dir=tmp_path / "cache")  # fmt: skip
        (joined,) = result.parts
        streams = {s["codec_type"]: s for s in ffprobe_json(joined)["streams"]}  # type: ignore[index, union-attr]
        video_codec = {"h264": "h264", "h265": "hevc", "mjpeg": "mjpeg"}[kind.video]
        assert streams["video"]["codec_name"] == video_codec, path  # type: ignore[index]
        if kind.video == "h265":
            assert streams["video"]["codec_tag_string"] == "hvc1", path  # type: ignore[index]
        assert (streams["video"]["width"], streams["video"]["height"]) == (kind.width, kind.height)  # type: ignore[index]
        assert ("audio" in streams) == bool(kind.audio), path
        if kind.audio:
            assert streams["audio"]["codec_name"] == "aac", path  # type: ignore[index]
        if not read_with_sender_reports(kind):  # see above
            assert decode_errors(joined) == "", path
        dts = [d for d, _ in video_packets(joined)]
        assert all(b > a for a, b in itertools.pairwise(dts)), f"{path}: video DTS not increasing"
    report = await check(core)
    assert report.clean, report.lines()


async def test_h264_with_aac_whose_key_frames_are_far_apart_records_and_decodes(
    mediamtx: MediaMTXServer, minio: S3Target, core_factory: CoreFactory, publishers: list[FieldPublisher],
    tmp_path: Path,
) -> None:  # fmt: skip
    """H.264 with AAC is read over RTMP, whose FLV names the picture size only at a key frame: a camera with
    key frames 8 s apart (beyond the recorder's start timeout) still records, from RTMP when a key frame came
    in time and from RTSP otherwise, into segments that decode clean."""
    publish(mediamtx, publishers, tmp_path, "sparse", FieldCamera(audio="aac", gop=80))
    core = core_factory(minio, segment_seconds=2)
    await core.start()
    camera = core.add_camera("sparse", mediamtx.endpoints.rtsp_url("sparse")).value
    started = await core.record(str(camera.id))
    assert started.is_success, started.error
    await wait_segments(core, str(started.value.id), 1, timeout=40)
    await core.stop_all_recordings()
    assert await core.archiver.drain(timeout=30)
    (segment, *_) = core.catalog.segments(str(started.value.id))
    file = tmp_path / "archived.mp4"
    await core.storage.download_file(segment.object_key, str(file))
    assert codecs_of(file) == {"video": "h264", "audio": "aac"}
    assert decode_errors(file) == ""


async def test_a_camera_the_rtmp_route_cannot_start_is_recorded_from_rtsp(
    mediamtx: MediaMTXServer, publishers: list[FieldPublisher], tmp_path: Path
) -> None:
    """When the RTMP run does not start (here: nothing listens where the route points), the recorder reads the
    camera from RTSP instead of failing the recording."""
    publish(mediamtx, publishers, tmp_path, "cam", FieldCamera(audio="aac"))
    closed_port = free_tcp_port()
    routed: list[str] = []

    async def tracks(url: str) -> list[str]:
        return ["H264", "MPEG-4 Audio"]

    def route(url: str) -> str:
        routed.append(url)
        return f"rtmp://127.0.0.1:{closed_port}/cam?user=reader&pass=secret"

    recorder = FFmpegRecorder(segment_seconds=2, track_lookup=tracks, rtmp_route=route)
    recording_id = uuid.uuid4()
    output = tmp_path / "rec"
    assert await recorder.start_recording(recording_id, mediamtx.endpoints.rtsp_url("cam"), str(output))
    try:
        assert routed == [mediamtx.endpoints.rtsp_url("cam")]
        async with asyncio.timeout(15):
            while not any(line for f in output.glob("segments-*.csv") for line in f.read_text().splitlines()):
                await asyncio.sleep(0.1)
        e = mediamtx.endpoints
        sessions = httpx.get(f"{e.api_url}/v3/rtspsessions/list", auth=(e.api_user, e.api_password), timeout=3).json()
        assert [x["path"] for x in sessions["items"] if x["state"] == "read"] == ["cam"], sessions
    finally:
        await recorder.stop_recording(recording_id)
    files = sorted(output.glob("*.mp4"))
    assert files and codecs_of(files[0]) == {"video": "h264", "audio": "aac"}
    assert decode_errors(files[0]) == ""
