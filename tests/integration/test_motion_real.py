"""Motion detection on a scripted camera published to the real MediaMTX, decoded by the real ffmpeg reader."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.fixtures.servers import wait_path_ready
from tests.fixtures.waiting import until
from video_streaming.adapters.frame_reader import FFmpegFrameReader
from video_streaming.catalog import Catalog
from video_streaming.motion.detector import MotionSettings
from video_streaming.motion.events import Tamper
from video_streaming.motion.service import MotionNotice, MotionService, NoticeKind
from video_streaming.motion.store import MotionStore
from video_streaming.runtime.mediamtx_server import MediaMTXServer
from video_streaming.runtime.scripted_camera import SWING_REGION, MotionScript, ScriptedCamera

MOVES = ((6.0, 9.0), (14.0, 16.0))


def stream_origin(server: MediaMTXServer, path: str) -> float:
    """Wall-clock time of the scripted camera's t=0: MediaMTX's readyTime, when the publisher began (ffmpeg
    opens its RTSP output once the first frame is encoded, and -re paces the rest from there)."""
    endpoints = server.endpoints
    info = httpx.get(f"{endpoints.api_url}/v3/paths/get/{path}", auth=(endpoints.api_user, endpoints.api_password),
                     timeout=2).json()  # fmt: skip
    text = str(info["readyTime"])
    whole, _, fraction = text.rstrip("Z").partition(".")
    moment = datetime.fromisoformat(whole).replace(tzinfo=UTC)
    return moment.timestamp() + (float("0." + fraction[:6]) if fraction else 0.0)


def start_camera(
    mediamtx: MediaMTXServer, tmp_path: Path, path: str, script: MotionScript
) -> tuple[ScriptedCamera, float]:
    camera = ScriptedCamera(mediamtx.endpoints.rtsp_url(path), tmp_path / f"{path}.log", script)
    camera.start()
    wait_path_ready(mediamtx, path)
    return camera, stream_origin(mediamtx, path)


def motion_service(tmp_path: Path, notices: list[MotionNotice], readers: list[FFmpegFrameReader]) -> MotionService:
    def reader(url: str, on_frame, on_state):  # type: ignore[no-untyped-def]
        made = FFmpegFrameReader(url, on_frame, on_state)
        readers.append(made)
        return made

    service = MotionService(MotionStore(Catalog(tmp_path / "catalog.db")), reader)
    service.listeners.append(notices.append)
    return service


async def test_scripted_motion_gives_events_at_the_scripted_times_and_nothing_in_the_mask(
    mediamtx: MediaMTXServer, tmp_path: Path
) -> None:
    notices: list[MotionNotice] = []
    readers: list[FFmpegFrameReader] = []
    camera, origin = start_camera(mediamtx, tmp_path, "scripted", MotionScript(moves=MOVES))
    service = motion_service(tmp_path, notices, readers)
    try:
        await service.watch("cam", mediamtx.endpoints.rtsp_url("scripted"), MotionSettings(masks=(SWING_REGION,)))
        ended = lambda: [n.event for n in notices if n.kind is NoticeKind.ENDED]  # noqa: E731
        await until(lambda: len(ended()) >= 2, timeout=MOVES[-1][1] + 15, what="two motion events")
        events = ended()
        for (start, end), event in zip(MOVES, events, strict=True):
            assert event is not None and event.end is not None
            assert abs(event.start - (origin + start)) <= 0.5, (event.start - origin, start)
            assert abs(event.end - (origin + end)) <= 0.5, (event.end - origin, end)
            # The block moves right at mid-height; the swinging corner block is masked out.
            assert event.regions and all(region.top >= 0.3 or region.left >= 0.3 for region in event.regions)
            # Its peak is a moment of the event, with about the block's share of the picture (1/60 of it); far
            # less than a fifth, which only a change of the whole scene would reach.
            assert event.start <= event.peak_at <= event.end, (event.peak_at, event)
            assert 0.005 <= event.peak_area <= 0.2, event.peak_area
        stored = service.store.events("cam")
        assert [round(e.start, 3) for e in reversed(stored)] == [round(e.start, 3) for e in events if e]
        thumbnail = service.store.thumbnail(stored[0].id)
        assert thumbnail is not None and thumbnail.startswith(b"P5 320 180 255\n")
        # Still in between: two events, no more (in particular none from the masked swing).
        assert sum(1 for n in notices if n.kind is NoticeKind.STARTED) == 2
        # Motion search finds the scripted seconds where the block moved, and nothing in the swing corner.
        since = datetime.fromtimestamp(origin, UTC)
        until_time = datetime.fromtimestamp(origin + MOVES[-1][1] + 3, UTC)
        block_band = ((0.3, 0.45), (1.0, 0.45), (1.0, 0.7), (0.3, 0.7))
        found = service.search("cam", block_band, since, until_time)
        assert len(found) == 2, found
        # The grid keeps whole seconds: each span is exactly the seconds its event (checked above against the
        # script) had moving frames in.
        for event, (a, b) in zip(events, found, strict=True):
            assert event is not None and event.end is not None
            assert a.timestamp() == int(event.start) and b.timestamp() == int(event.end) + 1, (a, b, event)
        assert service.search("cam", SWING_REGION, since, until_time) == []
    finally:
        await service.close()
        camera.stop()
    assert all(r.process is None or r.process.returncode is not None for r in readers), "reader left running"


async def test_without_the_mask_the_swinging_corner_is_motion(mediamtx: MediaMTXServer, tmp_path: Path) -> None:
    """The mask is what keeps the corner quiet (the other test would pass for a blind detector otherwise)."""
    notices: list[MotionNotice] = []
    camera, _ = start_camera(mediamtx, tmp_path, "swing", MotionScript(moves=()))
    service = motion_service(tmp_path, notices, [])
    try:
        await service.watch("cam", mediamtx.endpoints.rtsp_url("swing"), MotionSettings())
        await until(lambda: any(n.kind is NoticeKind.STARTED for n in notices), timeout=15, what="motion in corner")
        event = next(n.event for n in notices if n.kind is NoticeKind.STARTED)
        assert event is not None and event.regions[0].right <= 0.35 and event.regions[0].bottom <= 0.35
    finally:
        await service.close()
        camera.stop()


async def test_a_still_picture_fires_nothing(mediamtx: MediaMTXServer, tmp_path: Path) -> None:
    notices: list[MotionNotice] = []
    camera, _ = start_camera(mediamtx, tmp_path, "still", MotionScript(moves=(), swing=False))
    service = motion_service(tmp_path, notices, [])
    try:
        await service.watch("cam", mediamtx.endpoints.rtsp_url("still"), MotionSettings())
        await until(lambda: service.frames_seen("cam") >= 40, timeout=20, what="8 s of frames")
        assert notices == [], notices  # no motion, and sensor noise is not a frozen picture either
    finally:
        await service.close()
        camera.stop()


async def test_a_frozen_camera_raises_its_tamper_alert(mediamtx: MediaMTXServer, tmp_path: Path) -> None:
    notices: list[MotionNotice] = []
    camera, _ = start_camera(mediamtx, tmp_path, "frozen", MotionScript(frozen=True))
    service = motion_service(tmp_path, notices, [])
    try:
        await service.watch("cam", mediamtx.endpoints.rtsp_url("frozen"), MotionSettings())
        await until(lambda: any(n.kind is NoticeKind.TAMPER for n in notices), timeout=20, what="frozen alert")
        tampers = [n.tamper for n in notices if n.kind is NoticeKind.TAMPER]
        assert tampers == [Tamper.FROZEN]
        assert not any(n.kind is NoticeKind.STARTED for n in notices)
    finally:
        await service.close()
        camera.stop()


async def test_the_reader_restarts_after_its_ffmpeg_dies(mediamtx: MediaMTXServer, tmp_path: Path) -> None:
    notices: list[MotionNotice] = []
    readers: list[FFmpegFrameReader] = []
    camera, _ = start_camera(mediamtx, tmp_path, "restart", MotionScript(moves=()))
    service = motion_service(tmp_path, notices, readers)
    try:
        await service.watch("cam", mediamtx.endpoints.rtsp_url("restart"), MotionSettings())
        await until(lambda: service.frames_seen("cam") > 0, timeout=15, what="first frames")
        first = readers[0].process
        assert first is not None
        os.kill(first.pid, signal.SIGKILL)
        await until(lambda: any(n.kind is NoticeKind.FEED_LOST for n in notices), timeout=5, what="feed lost told")
        seen = service.frames_seen("cam")
        await until(lambda: service.frames_seen("cam") > seen + 5, timeout=15, what="frames after the restart")
        assert readers[0].restarts >= 1 and readers[0].process is not first
    finally:
        await service.close()
        camera.stop()
