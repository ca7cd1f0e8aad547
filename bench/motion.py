"""Motion: search time over a synthetic 30-day grid, and detection cost and latency on a scripted camera.

Search: one camera's motion grid for 30 days (43,200 one-minute chunks, motion in ~5 % of the seconds,
written through MotionStore into a real catalog file); a region is searched over the whole range, as the
motion-search use case does (no decoding). Detection: a scripted camera (640x360@25 H.264) published to a
real MediaMTX, read by the real ffmpeg reader at 320x180@5 fps grey (and a sub-stream as cameras send one,
320x180@5 at 256 kb/s, which the detector reads when a camera has one); CPU of the reader's ffmpeg and of this
process (the numpy detector and the event loop) over a window; the delay from the scripted motion start
(MediaMTX's readyTime + script time) to the service's "started" notice. Motion mode: the bytes a camera that
records on motion keeps against a continuous recording of the same stream. Highlight: the app's window on the
real core, the scripted camera on a tile; the time from the scripted motion start to the tile's border lit on
screen (a row of pixels read from the X server every 4 ms, bench/motion_wall.py).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np

from bench.common import BenchContext, CpuMeter, mediamtx_server, summary, wait_path_ready

NAME = "motion"
TITLE = "Motion detection and search"
DAYS = 30


def build_grid(path: Any, days: int) -> tuple[Any, float, float, float]:
    from video_streaming.catalog import Catalog
    from video_streaming.motion.detector import GRID_BYTES
    from video_streaming.motion.grid import CHUNK_SECONDS, GridChunk
    from video_streaming.motion.store import MotionStore

    catalog = Catalog(path)
    store = MotionStore(catalog)
    rng = np.random.default_rng(1)
    end = int(time.time()) // CHUNK_SECONDS * CHUNK_SECONDS
    start = end - days * 86400
    started = time.perf_counter()
    with catalog.db.transaction() as db:  # one transaction: filling 30 days one chunk at a time takes minutes
        for chunk_start in range(start, end, CHUNK_SECONDS):
            cells = np.zeros((CHUNK_SECONDS, GRID_BYTES), dtype=np.uint8)
            active = rng.random(CHUNK_SECONDS) < 0.05
            cells[active] = rng.integers(0, 256, (int(active.sum()), GRID_BYTES), dtype=np.uint8) & rng.integers(
                0, 256, (int(active.sum()), GRID_BYTES), dtype=np.uint8
            )
            chunk = GridChunk("cam", chunk_start, cells.tobytes())
            db.execute("INSERT INTO motion_grid (camera_id, chunk_start, cells) VALUES (?, ?, ?)",
                       ("cam", chunk.start, chunk.encode()))  # fmt: skip
    return store, float(start), float(end), time.perf_counter() - started


def bench_search(ctx: BenchContext) -> dict[str, Any]:
    from video_streaming.motion.detector import grid_of_polygon
    from video_streaming.motion.grid import moments_in_region

    path = ctx.tmp("motion-search") / "catalog.sqlite3"
    store, start, end, build_s = build_grid(path, DAYS)
    region = ((0.1, 0.1), (0.4, 0.1), (0.4, 0.5), (0.1, 0.5))
    cells = grid_of_polygon(region)
    times, found = [], 0
    for _ in range(3 if ctx.quick else 7):
        t = time.perf_counter()
        chunks = store.grid_chunks("cam", start, end)
        found = len(moments_in_region(chunks, cells, start, end))
        times.append(time.perf_counter() - t)
    ctx.say(f"search over {DAYS} days: p50 {np.median(times) * 1000:.0f} ms, {found} moments")
    return {
        "days": DAYS, "chunks": int((end - start) // 60), "database_bytes": os.path.getsize(path),
        "build_s": build_s, "search_s": summary(times), "moments_found": found,
    }  # fmt: skip


def stream_origin(server: Any, path: str) -> float:
    """Wall-clock time of the scripted camera's t=0: MediaMTX's readyTime for its path."""
    import httpx

    endpoints = server.endpoints
    info = httpx.get(f"{endpoints.api_url}/v3/paths/get/{path}", timeout=2,
                     auth=(endpoints.api_user, endpoints.api_password)).json()  # fmt: skip
    whole, _, fraction = str(info["readyTime"]).rstrip("Z").partition(".")
    return datetime.fromisoformat(whole).replace(tzinfo=UTC).timestamp() + float("0." + (fraction or "0")[:6])


# A camera's sub-stream as field cameras send one for analytics: the detector's own size and rate, a few hundred
# kb/s. Detection reads it as it is (no scaling, no frames dropped after decoding).
def sub_stream_script(moves: tuple[tuple[float, float], ...]) -> Any:
    from video_streaming.runtime.scripted_camera import MotionScript

    return MotionScript(moves=moves, width=320, height=180, fps=5, bitrate_kbps=256, speed=20.0)


async def bench_detection(
    ctx: BenchContext, seconds: float, cameras: int = 1, sub_stream: bool = False
) -> dict[str, Any]:
    """`cameras` detectors on the one scripted stream: the cost of N cameras without N encoders. The stream is
    the main one (640x360@25, scaled down and thinned by the reader) or, with `sub_stream`, a 320x180@5 one."""
    from video_streaming.adapters.frame_reader import FFmpegFrameReader
    from video_streaming.catalog import Catalog
    from video_streaming.motion.detector import MotionSettings
    from video_streaming.motion.service import MotionNotice, MotionService, NoticeKind
    from video_streaming.motion.store import MotionStore
    from video_streaming.runtime.scripted_camera import SWING_REGION, MotionScript, ScriptedCamera

    period = 8.0
    moves = tuple((period * k + 4.0, period * k + 6.0) for k in range(int(seconds // period) + 2))
    with mediamtx_server(ctx.work_dir) as server:
        script = sub_stream_script(moves) if sub_stream else MotionScript(moves=moves)
        camera = ScriptedCamera(server.endpoints.rtsp_url("bench"), ctx.work_dir / "cam.log", script)
        camera.start()
        try:
            wait_path_ready(server, "bench")
            origin = await asyncio.to_thread(stream_origin, server, "bench")
            readers: list[FFmpegFrameReader] = []

            def reader(url: str, on_frame: Any, on_state: Any) -> FFmpegFrameReader:
                made = FFmpegFrameReader(url, on_frame, on_state)
                readers.append(made)
                return made

            notices: list[MotionNotice] = []
            service = MotionService(MotionStore(Catalog(ctx.work_dir / "detect.sqlite3")), reader)
            service.listeners.append(notices.append)
            names = [f"cam{index}" for index in range(cameras)]
            for name in names:
                # Over RTMP, as the core reads an H.264 camera (MotionCoordinator._detector_url).
                await service.watch(name, server.endpoints.rtmp_url("bench"), MotionSettings(masks=(SWING_REGION,)))
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not all(service.frames_seen(n) for n in names):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            pids = [r.process.pid for r in readers if r.process is not None]
            meter = CpuMeter({"reader_ffmpeg": pids})
            own0 = time.process_time()
            meter.start()
            await asyncio.sleep(seconds)
            cpu = meter.stop()
            own = (time.process_time() - own0) / cpu["window_s"]
            frames = sum(service.frames_seen(n) for n in names)
            await service.close()
        finally:
            camera.stop()
    delays = []
    for notice in notices:
        if notice.kind is NoticeKind.STARTED and notice.event is not None and notice.camera_id == "cam0":
            scripted = min((origin + a for a, _ in moves), key=lambda s: abs(s - notice.event.start))  # type: ignore[union-attr]
            delays.append(notice.at - scripted)
    stream = f"{script.width}x{script.height}@{script.fps}"
    ctx.say(f"{cameras} camera(s) on {stream}: reader ffmpeg {cpu['reader_ffmpeg'] * 100:.1f} % of a core, "
            f"detector process {own * 100:.1f} %")  # fmt: skip
    return {
        "cameras": cameras, "stream": stream, "stream_kbps": script.bitrate_kbps, "window_s": cpu["window_s"],
        "frames": frames, "core_fraction_per_camera": (cpu["reader_ffmpeg"] + own) / cameras,
        "reader_ffmpeg_core_fraction": cpu["reader_ffmpeg"],
        "detector_process_core_fraction": own, "machine_busy_cores": cpu["machine_busy_cores"],
        "motion_start_to_notice_s": summary(delays) if delays else None, "events": len(delays),
    }  # fmt: skip


async def bench_motion_mode(ctx: BenchContext, seconds: float) -> dict[str, Any]:
    """The bytes a camera in motion mode keeps against recording it all the time: the scripted camera moves once
    (3 s) in the run; both recorders read the same stream over the same span. The camera is CBR (1000 kb/s with
    sensor noise), so its bytes follow the seconds kept."""
    from video_streaming.adapters.ffmpeg import FFmpegRecorder, RecorderEvent, SegmentClosed
    from video_streaming.adapters.frame_reader import FFmpegFrameReader
    from video_streaming.adapters.ring_recorder import FFmpegRingRecorder
    from video_streaming.catalog import Catalog
    from video_streaming.domain.camera import Camera, RecordingMode
    from video_streaming.motion.detector import MotionSettings
    from video_streaming.motion.recording import MotionRecordingService
    from video_streaming.motion.service import MotionService, NoticeKind
    from video_streaming.motion.store import MotionStore
    from video_streaming.runtime.scripted_camera import MotionScript, ScriptedCamera

    moves = ((seconds / 2, seconds / 2 + 3.0),)
    continuous: list[int] = []

    def closed(event: RecorderEvent) -> None:
        if isinstance(event, SegmentClosed):
            continuous.append(event.path.stat().st_size)

    with mediamtx_server(ctx.work_dir) as server:
        script = MotionScript(moves=moves, swing=False)
        camera = ScriptedCamera(server.endpoints.rtsp_url("mode"), ctx.work_dir / "mode.log", script)
        camera.start()
        try:
            wait_path_ready(server, "mode")
            url = server.endpoints.rtsp_url("mode")
            catalog = Catalog(ctx.work_dir / "mode.sqlite3")
            yard = Camera.create("Yard", url)
            catalog.save_camera(Camera(yard.name, yard.source, yard.id, recording_mode=RecordingMode.MOTION))
            motion = MotionService(MotionStore(catalog), FFmpegFrameReader)
            ring = FFmpegRingRecorder()
            recording = MotionRecordingService(catalog, ring, recordings_dir=ctx.work_dir / "mode-rec",
                                               ring_dir=ctx.work_dir / "mode-rec" / ".motion-ring")  # fmt: skip
            motion.listeners.append(recording.on_motion)
            recorder = FFmpegRecorder(segment_seconds=2, on_event=closed)
            started = time.monotonic()
            await recorder.start_recording(uuid.uuid4(), url, str(ctx.work_dir / "mode-continuous"))
            armed = await recording.arm(str(yard.id), url)
            assert armed.is_success, armed.error
            await motion.watch(str(yard.id), url, MotionSettings())
            events = 0

            def count(notice: Any) -> None:
                nonlocal events
                events += notice.kind is NoticeKind.STARTED

            motion.listeners.append(count)
            await asyncio.sleep(max(0.0, seconds - (time.monotonic() - started)))
            await motion.close()
            await recording.close()
            await recorder.close()
            elapsed = time.monotonic() - started
            rows = catalog.recordings(str(yard.id))
        finally:
            camera.stop()
    kept = sum(row.size for row in rows)
    kept_s = sum(row.duration for row in rows)
    whole = sum(continuous)
    saved = 1 - kept / whole if whole else 0.0
    ctx.say(f"motion mode kept {kept / 2**20:.1f} MiB ({kept_s:.0f} s) of {whole / 2**20:.1f} MiB in {elapsed:.0f} s "
            f"recorded continuously: {saved * 100:.0f} % saved ({events} event)")  # fmt: skip
    return {
        "run_s": elapsed, "motion_s": sum(b - a for a, b in moves), "events": events, "recordings": len(rows),
        "continuous_bytes": whole, "motion_mode_bytes": kept, "motion_mode_seconds": kept_s,
        "saved_fraction": saved,
    }  # fmt: skip


def bench_highlight(ctx: BenchContext, seconds: float) -> dict[str, Any]:
    """Motion start (script time) to the tile's border lit on screen, in the app's window on the real core (a
    child process: bench/motion_wall.py); also split at the detector's notice."""
    import json
    import subprocess
    import sys

    period = 8.0
    moves = [(period * k + 6.0, period * k + 8.0) for k in range(int((seconds - 6.0) // period))]
    work = ctx.tmp("motion-wall")
    options = {"work": str(work), "moves": moves, "seconds": seconds}
    done = subprocess.run([sys.executable, "-m", "bench.motion_wall", json.dumps(options)], capture_output=True,
                          text=True, timeout=seconds + 120, check=False)  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"bench.motion_wall failed ({done.returncode}): {done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    starts = [result["origin"] + start for start, _ in moves]
    started_notices = [at for kind, at in result["notices"] if kind == "started"]

    def after(moment: float, times: list[float]) -> float | None:
        later = [t - moment for t in times if moment <= t < moment + period / 2]
        return min(later) if later else None

    to_lit = [d for d in (after(start, result["lit_at"]) for start in starts) if d is not None]
    to_notice = [d for d in (after(start, started_notices) for start in starts) if d is not None]
    notice_to_lit = [d for d in (after(at, result["lit_at"]) for at in started_notices) if d is not None]
    ctx.say(f"motion start to lit tile: p50 {np.median(to_lit) * 1000:.0f} ms over {len(to_lit)} of {len(starts)} "
            f"scripted movements" if to_lit else "the tile never lit")  # fmt: skip
    return {
        "movements": len(starts), "lit": len(to_lit), "border_samples": result["samples"],
        "motion_start_to_lit_tile_s": summary(to_lit) if to_lit else None,
        "motion_start_to_notice_s": summary(to_notice) if to_notice else None,
        "notice_to_lit_tile_s": summary(notice_to_lit) if notice_to_lit else None,
    }


def run(ctx: BenchContext) -> dict[str, Any]:
    random.seed(1)
    search = bench_search(ctx)
    detection = asyncio.run(bench_detection(ctx, 20.0 if ctx.quick else 60.0))
    sub = asyncio.run(bench_detection(ctx, 20.0 if ctx.quick else 60.0, sub_stream=True))
    sixteen = asyncio.run(bench_detection(ctx, 15.0 if ctx.quick else 30.0, cameras=16))
    sixteen_sub = asyncio.run(bench_detection(ctx, 15.0 if ctx.quick else 30.0, cameras=16, sub_stream=True))
    mode = asyncio.run(bench_motion_mode(ctx, 60.0 if ctx.quick else 180.0))
    highlight = bench_highlight(ctx, 40.0 if ctx.quick else 90.0)
    # Sharing the wall's decode with the detector: the most it could save a camera is its reader's whole decode
    # (the detector's numpy part stays), and only while the camera is on screen (detection runs for all). Getting
    # frames out of libvlc would cost its own copies and scaling, so this is an upper bound, not a saving.
    sharing = {
        "most_saved_per_camera_sub_stream": sub["reader_ffmpeg_core_fraction"],
        "most_saved_per_camera_main_stream": detection["reader_ffmpeg_core_fraction"],
        "detector_part_kept": sub["detector_process_core_fraction"],
    }
    ctx.say(f"sharing the wall's decode would save at most {sharing['most_saved_per_camera_sub_stream'] * 100:.1f} % "
            f"of a core per camera on a sub-stream ({sharing['most_saved_per_camera_main_stream'] * 100:.1f} % on the "
            "main stream), for cameras on screen only")  # fmt: skip
    return {"search": search, "detection_one_camera": detection, "detection_one_sub_stream": sub,
            "decode_sharing": sharing,
            "detection_16_cameras": sixteen, "detection_16_sub_streams": sixteen_sub,
            "motion_mode_recording": mode, "tile_highlight": highlight}  # fmt: skip


DETECTION_ROWS = (
    ("detection_one_camera", "1 camera, main stream 640x360@25 read at 320x180@5"),
    ("detection_one_sub_stream", "1 camera, sub-stream 320x180@5"),
    ("detection_16_cameras", "16 cameras, main streams"),
    ("detection_16_sub_streams", "16 cameras, sub-streams"),
)


def _ms(stats: dict[str, Any]) -> str:
    return f"{stats['median'] * 1000:.0f} / {stats['p95'] * 1000:.0f}"


def report(data: dict[str, Any], plots: Any) -> str:
    lines = [
        "| detection | % of a core per camera | of which, in total: reader ffmpeg(s) + detector process | "
        "motion start -> notice, p50 / p95 ms | goal |",
        "|---|---:|---:|---:|---|",
    ]
    for key, label in DETECTION_ROWS:
        run = data[key]
        cores = (f"{run['core_fraction_per_camera'] * 100:.2f} % | {run['reader_ffmpeg_core_fraction'] * 100:.2f} %"
                 f" + {run['detector_process_core_fraction'] * 100:.2f} %")  # fmt: skip
        goal = "<= 2 %" if "sub" in key else "-"
        lines.append(f"| {label} | {cores} | {_ms(run['motion_start_to_notice_s'])} | {goal} |")
    search, highlight, mode = data["search"], data["tile_highlight"], data["motion_mode_recording"]
    lines += [
        "",
        "| measurement | result | goal |",
        "|---|---:|---|",
        f"| search, 30 days of one camera ({search['chunks']:,} chunks, {search['database_bytes'] / 2**20:.1f} MiB) "
        f"| {search['search_s']['median'] * 1000:.0f} ms (p95 {search['search_s']['p95'] * 1000:.0f}) | <= 1 s |",
        f"| scripted motion start -> tile border lit on screen ({highlight['lit']} of {highlight['movements']}) "
        f"| {_ms(highlight['motion_start_to_lit_tile_s'])} ms | <= 500 ms |",
        f"| motion mode against continuous, {mode['run_s']:.0f} s with {mode['motion_s']:.0f} s of motion | keeps "
        f"{mode['motion_mode_bytes'] / 2**20:.1f} of {mode['continuous_bytes'] / 2**20:.1f} MiB "
        f"({mode['saved_fraction'] * 100:.0f} % saved) | - |",
    ]
    return "\n".join(lines) + "\n"


def findings(data: dict[str, Any]) -> str:
    sharing, sub = data["decode_sharing"], data["detection_one_sub_stream"]
    main = data["detection_one_camera"]
    return (
        f"- On a sub-stream the detector costs {sub['core_fraction_per_camera'] * 100:.1f} % of a core per camera, "
        f"under the 2 % goal; a main stream costs {main['core_fraction_per_camera'] * 100:.1f} %, most of it the "
        "reader's decode of 25 frames a second it then thins to 5, so a camera without a sub-stream misses it.\n"
        f"- Sharing the wall's decode would save at most {sharing['most_saved_per_camera_sub_stream'] * 100:.1f} % "
        f"of a core per camera on a sub-stream ({sharing['most_saved_per_camera_main_stream'] * 100:.1f} % on a "
        "main stream), and only for cameras on screen, while frames copied out of libvlc and scaled would cost "
        "part of that back: not worth its coupling of the wall to detection. This is an upper bound from the "
        "reader's own cost, not a measured shared decode.\n"
    )
