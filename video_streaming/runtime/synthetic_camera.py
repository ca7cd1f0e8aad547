"""A synthetic camera: ffmpeg's testsrc2 with a burnt-in UTC clock and frame counter, plus a tone,
published to MediaMTX over RTSP. Stop and start it to simulate a camera dropping out."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from video_streaming.domain.errors import VidStreamError
from video_streaming.runtime.process import ManagedProcess

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")


@dataclass(frozen=True)
class CameraSpec:
    width: int = 640
    height: int = 360
    fps: int = 25
    label: str = "CAM"
    audio: bool = True
    bitrate_kbps: int = 800


def clock_filters(label: str, height: int, fps: int) -> str:
    """The filters that burn the wall clock (and a frame counter) into the bottom-left of the picture.

    The clock is the wall clock when the frame is made: its timestamp is set to the real time (RTCTIME) for
    drawtext, then made regular again. A clock from the stream's own timestamps plus the start time ran up to
    2 s late: whole seconds of the start cut off, ffmpeg's start-up, and frames made slower than real time."""
    clock = "%{pts\\:gmtime\\:0\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}"
    font = f"fontfile={FONT}:" if FONT.exists() else ""
    label = label.replace("'", "").replace(":", " ").replace("\\", " ")[:24]
    size = max(12, height // 18)
    drawtext = (
        f"drawtext={font}text='{label}  {clock}  #%{{frame_num}}':x=10:y=h-th-10:"
        f"fontsize={size}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4"
    )
    return f"setpts=RTCTIME/(1000000*TB),{drawtext},setpts=N/({fps}*TB)"


def camera_argv(publish_url: str, spec: CameraSpec, ffmpeg: str = "ffmpeg") -> list[str]:
    argv = [
        ffmpeg,
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-re",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={spec.width}x{spec.height}:rate={spec.fps}",
    ]
    if spec.audio:
        argv += ["-re", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000"]
    argv += [
        "-vf",
        clock_filters(spec.label, spec.height, spec.fps),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-tune",
        "zerolatency",
        "-pix_fmt",
        "yuv420p",
        "-g",
        str(spec.fps),
        "-keyint_min",
        str(spec.fps),
        "-sc_threshold",
        "0",
        "-b:v",
        f"{spec.bitrate_kbps}k",
        "-maxrate",
        f"{spec.bitrate_kbps}k",
        "-bufsize",
        f"{spec.bitrate_kbps}k",
    ]
    if spec.audio:
        argv += ["-c:a", "aac", "-b:a", "64k"]
    if publish_url.startswith("unix:"):  # a MediaMTX path fed over a private socket: no password needed
        argv += ["-f", "mpegts", "-mpegts_flags", "+resend_headers", publish_url]
    else:
        argv += ["-f", "rtsp", "-rtsp_transport", "tcp", publish_url]
    return argv


class SyntheticCamera:
    def __init__(
        self, publish_url: str, log_path: Path, spec: CameraSpec | None = None, socket: Path | None = None
    ) -> None:
        """`publish_url` is where readers find it; with `socket` it is fed through that private socket."""
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise VidStreamError("ffmpeg is not installed", "run `make run` once, or apt-get install ffmpeg")
        self.publish_url = publish_url
        self._target = f"unix:{socket}" if socket is not None else publish_url
        self.spec = spec or CameraSpec()
        self._ffmpeg = ffmpeg
        self._log_path = log_path
        self.process: ManagedProcess | None = None

    def start(self) -> None:
        if self.process and self.process.running:
            return
        self.process = ManagedProcess("camera", camera_argv(self._target, self.spec, self._ffmpeg), self._log_path)
        self.process.start()

    def stop(self) -> None:
        if self.process:
            self.process.stop(timeout=3)

    @property
    def running(self) -> bool:
        return bool(self.process and self.process.running)
