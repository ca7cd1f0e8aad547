"""Inside bench.wall_app (mode "ui"): put the wall under load conditions and measure how late a 5 ms QTimer
and a 5 ms asyncio sleep fire on the qasync loop; a bare heartbeat process runs at the same time."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer

from bench.heartbeat import INTERVAL_S, beat, describe, runqueue_wait_ms

LABELS = {
    "idle": "idle wall (no tiles, no uploads)",
    "uploads": "4 uploads, no tiles",
    "tiles": "16 tiles playing, no uploads",
    "tiles+uploads": "16 tiles playing + 4 uploads",
    "tiles+uploads-elsewhere": "16 tiles + the same 4 uploads in another process",
}


async def qt_heartbeat(seconds: float) -> list[float]:
    """Lateness (ms) of each tick of a 5 ms precise QTimer."""
    lateness: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, (now - last[0] - INTERVAL_S) * 1000))
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(int(INTERVAL_S * 1000))
    timer.timeout.connect(tick)
    last[0] = time.perf_counter()
    timer.start()
    await asyncio.sleep(seconds)
    timer.stop()
    return lateness


async def bare_heartbeat(seconds: float) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.heartbeat", str(seconds), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    try:
        return dict(json.loads(out.decode()))
    except ValueError:
        return {}


async def run_conditions(wall: Any, options: dict[str, Any]) -> dict[str, Any]:
    from bench.wall_app import wait_live
    from video_streaming.adapters.s3 import S3Storage, sha256_of
    from vidstream_desktop.wall.vlc_backend import Transport

    seconds = float(options["seconds"])
    urls: list[str] = options["urls"]
    s3 = options["s3"]
    storage = S3Storage(s3["endpoint_url"], s3["bucket"], s3["access_key"], s3["secret_key"])
    files = [Path(p) for p in options["files"]]
    tiles = wall.tiles(len(urls))
    playing = False
    results: dict[str, Any] = {}
    for condition in options["conditions"]:
        want_tiles = "tiles" in condition
        elsewhere = condition.endswith("-elsewhere")
        want_uploads = "uploads" in condition and not elsewhere
        if want_tiles and not playing:
            for index, (tile, url) in enumerate(zip(tiles, urls, strict=True)):
                tile.assign(f"bench-{index}", f"Bench {index + 1}", url, Transport.SRT)
            await wait_live(tiles, 30)
            await asyncio.sleep(2.0)
            playing = True
        elif not want_tiles and playing:
            for tile in tiles:
                tile.clear()
            await asyncio.sleep(1.0)
            playing = False
        stop = asyncio.Event()
        uploaded = {"bytes": 0, "files": 0}

        async def uploader(worker: int, stop: asyncio.Event = stop, uploaded: dict[str, int] = uploaded) -> None:
            count = 0
            while not stop.is_set():
                path = files[(worker + count) % len(files)]
                await asyncio.to_thread(sha256_of, path)  # what the Archiver does before each upload
                await storage.upload_file(str(path), f"ui/{worker}/{count}.mp4")
                uploaded["bytes"] += path.stat().st_size
                uploaded["files"] += 1
                count += 1

        tasks = [asyncio.create_task(uploader(i)) for i in range(4)] if want_uploads else []
        external = None
        if elsewhere:
            spec = {"s3": s3, "files": [str(f) for f in files], "seconds": seconds + 2.0, "workers": 4}
            external = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.upload_load", json.dumps(spec), stdout=asyncio.subprocess.PIPE
            )
        if tasks or external:
            await asyncio.sleep(1.0)
        started = time.perf_counter()
        waited = runqueue_wait_ms()
        bytes_before = uploaded["bytes"]
        qt, loop_lateness, bare = await asyncio.gather(qt_heartbeat(seconds), beat(seconds), bare_heartbeat(seconds))
        elapsed = time.perf_counter() - started
        main_thread_runqueue_ms = runqueue_wait_ms() - waited
        upload_mb_s = (uploaded["bytes"] - bytes_before) / 1e6 / elapsed
        stop.set()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if external is not None:
            out, _ = await external.communicate()
            try:
                upload_mb_s = float(json.loads(out.decode())["mb_per_s"])
            except (ValueError, KeyError):
                upload_mb_s = float("nan")
        results[condition] = {
            "label": LABELS.get(condition, condition),
            "seconds": seconds,
            "tiles_live": sum(t.player.state.value == "live" for t in tiles) if want_tiles else 0,
            "upload_mb_per_s": upload_mb_s if (want_uploads or elsewhere) else None,
            "main_thread_runqueue_wait_ms": main_thread_runqueue_ms,
            "qt_timer": {**describe(qt), "lateness_ms": [round(v, 2) for v in qt]},
            "asyncio_sleep": describe(loop_lateness),
            "bare_process_asyncio": bare,
        }
    if playing:
        for tile in tiles:
            tile.clear()
    return results
