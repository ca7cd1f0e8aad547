"""FFmpeg decoding a camera to small grey frames on a pipe, supervised like the recorder.

One child per camera: RTSP/TCP in, `fps=N,scale=WxH,format=gray` out as rawvideo on stdout, so the app
reads exactly W*H bytes a frame and never touches a codec. The child dies with the app (PR_SET_PDEATHSIG),
restarts with back-off when the source drops, and is killed when it stalls.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import shutil
import signal
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable

import numpy as np

from video_streaming.adapters.ffmpeg import READER_PROTOCOLS, carries_secret, input_script, transport_options
from video_streaming.domain.camera import mask_url
from video_streaming.domain.errors import VidStreamError
from video_streaming.motion.detector import FRAME_HEIGHT, FRAME_WIDTH, GreyFrame
from video_streaming.private_files import child_environment
from video_streaming.runtime.process import die_with_parent

log = logging.getLogger(__name__)
# (frame, wall-clock epoch seconds of its arrival); an awaitable result is awaited before the next frame is read
FrameSink = Callable[[GreyFrame, float], Awaitable[None] | None]
StateSink = Callable[[bool, str], None]  # (receiving frames?, why not)


# The decoder's side: one thread (detection must cost a few percent of a core, not burst) and no frame held back.
DECODE_OPTIONS: tuple[str, ...] = ("-flags", "low_delay", "-threads", "1", "-an", "-sn", "-dn")
PROBE: list[str] = ["-fflags", "nobuffer", "-analyzeduration", "500000", "-probesize", "500000"]


def reader_argv(
    ffmpeg: str, source_url: str, width: int, height: int, fps: float, script_fd: int | None = None
) -> list[str]:  # fmt: skip
    """With `script_fd`, the input is `input_script`'s ffconcat script on that inherited pipe: a URL with the
    media server's reader login never appears on the command line (`ps` shows every user's argv)."""
    if script_fd is not None:
        source = [*PROBE, "-f", "concat", "-safe", "0", "-protocol_whitelist", READER_PROTOCOLS,
                  "-i", f"/dev/fd/{script_fd}"]  # fmt: skip
    else:
        source = [*transport_options(source_url), *PROBE, "-i", source_url]
    return [
        ffmpeg, "-hide_banner", "-nostats", "-nostdin", "-loglevel", "error", *DECODE_OPTIONS, *source,
        "-vf", f"{thinning(fps)},scale={width}:{height}:flags=fast_bilinear,format=gray",
        "-fps_mode", "passthrough",  # each kept frame once, as it comes: no duplicates to fill a constant rate
        "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1",
    ]  # fmt: skip


def thinning(fps: float) -> str:
    """The filter that keeps at most `fps` frames a second. Not ffmpeg's `fps` filter: it holds each frame until
    the next one arrives (to pick the nearest to its output time), one camera frame interval late, 200 ms on a
    5 fps sub-stream (measured: motion noticed 0.76 s after it started on the sub-stream, 0.40 s on a 25 fps
    main stream). `select` lets a frame through at once when a whole interval (5 % slack for timestamp
    jitter) has passed since the last one it kept."""
    interval = 0.95 / fps
    # A timestamp that jumps back (a camera's clock reset) is let through too, or nothing would pass until
    # the time caught up again.
    return f"select='isnan(prev_selected_t)+gte(t-prev_selected_t,{interval:.4f})+lt(t,prev_selected_t)'"


class FFmpegFrameReader:
    def __init__(
        self,
        source_url: str,
        on_frame: FrameSink,
        on_state: StateSink | None = None,
        *,
        width: int = FRAME_WIDTH,
        height: int = FRAME_HEIGHT,
        fps: float = 5.0,
        ffmpeg: str | None = None,
        max_backoff: float = 8.0,
        stall_timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        found = ffmpeg or shutil.which("ffmpeg")
        if not found:
            raise VidStreamError("ffmpeg is not installed", "install it: apt-get install ffmpeg")
        if not 0 < fps <= 5:
            raise VidStreamError(f"motion detection decodes at most 5 frames a second, not {fps}")
        self.ffmpeg = found
        self.source_url = source_url
        self.on_frame = on_frame
        self.on_state = on_state
        self.width, self.height, self.fps = width, height, fps
        self.max_backoff = max_backoff
        self.stall_timeout = stall_timeout
        self.clock = clock
        self.restarts = 0
        self.process: asyncio.subprocess.Process | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._stderr: deque[str] = deque(maxlen=20)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running:
            return
        self._stopping = False
        self._task = asyncio.create_task(self._supervise(), name="motion-reader")

    async def stop(self) -> None:
        self._stopping = True
        await self._terminate()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _tell(self, receiving: bool, why: str = "") -> None:
        if self.on_state is not None:
            try:
                self.on_state(receiving, why)
            except Exception:
                log.exception("motion reader state listener failed")

    async def _supervise(self) -> None:
        backoff = 0.5
        while not self._stopping:
            got_frames = await self._run_once()
            if self._stopping:
                return
            why = mask_url(self._stderr[-1]) if self._stderr else "the stream ended"
            self._tell(False, why)
            backoff = 0.5 if got_frames else min(backoff * 2, self.max_backoff)
            await asyncio.sleep(backoff)
            self.restarts += 1

    async def _run_once(self) -> bool:
        script_fd = None
        if carries_secret(self.source_url):
            script_fd, writer = os.pipe()
            os.write(writer, input_script(self.source_url, PROBE, transport_options(self.source_url)))
            os.close(writer)  # a few hundred bytes: far below a pipe's buffer, and ffmpeg sees the end
        argv = reader_argv(self.ffmpeg, self.source_url, self.width, self.height, self.fps, script_fd)
        self._stderr = deque(maxlen=20)
        try:
            self.process = process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                pass_fds=() if script_fd is None else (script_fd,),
                env=child_environment(),
                start_new_session=True,
                preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,
            )
        finally:
            if script_fd is not None:
                os.close(script_fd)
        drain = asyncio.create_task(self._drain_stderr(process))
        size = self.width * self.height
        frames = 0
        assert process.stdout is not None
        try:
            while not self._stopping:
                try:
                    data = await asyncio.wait_for(process.stdout.readexactly(size), timeout=self.stall_timeout)
                except (asyncio.IncompleteReadError, TimeoutError):
                    break  # the stream ended, or ffmpeg hangs on a source that sends nothing
                if frames == 0:
                    self._tell(True)
                frames += 1
                frame = np.frombuffer(data, dtype=np.uint8).reshape(self.height, self.width)
                try:
                    result = self.on_frame(frame, self.clock())
                    if inspect.isawaitable(result):
                        await result
                except Exception:  # a broken consumer must not stop the reader
                    log.exception("motion frame consumer failed")
        finally:
            await self._terminate()
            drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await drain
        return frames > 0

    async def _drain_stderr(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            self._stderr.append(raw.decode("utf-8", "replace").rstrip())

    async def _terminate(self) -> None:
        process = self.process
        if process is None or process.returncode is not None:
            return
        for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(sig)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), timeout=wait)
                return
