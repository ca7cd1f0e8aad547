"""A synthetic camera with scripted motion, for testing and measuring motion detection.

A still, textured scene with sensor noise (so it is not a frozen picture); a bright block that moves right
during the scripted intervals (seconds since the stream's first frame) and stands still in between; a small
block in the top-left corner that swings all the time (the region a test masks out). `frozen=True` drops the
noise and the motion: a picture that never changes, as a hung encoder sends."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from video_streaming.domain.errors import VidStreamError
from video_streaming.runtime.process import ManagedProcess
from video_streaming.runtime.synthetic_camera import clock_filters

# The corner where the always-moving block swings, in fractions of the picture (mask it to ignore it).
SWING_REGION = ((0.0, 0.0), (0.3, 0.0), (0.3, 0.3), (0.0, 0.3))
# The strip where a clock camera's caption (a clock and a frame counter) changes all the time.
CAPTION_REGION = ((0.0, 0.85), (1.0, 0.85), (1.0, 1.0), (0.0, 1.0))


@dataclass(frozen=True)
class MotionScript:
    moves: tuple[tuple[float, float], ...] = ((6.0, 9.0), (15.0, 18.0))  # [start, end) seconds of movement
    speed: float = 40.0  # pixels a second at 640x360
    width: int = 640
    height: int = 360
    fps: int = 25
    bitrate_kbps: int = 1000  # constant: a camera's sub-stream sends a few hundred
    frozen: bool = False
    swing: bool = True
    clock: str = ""  # a label: burn the wall clock into the bottom of the picture, as the demo cameras do
    # From `tampered_at` seconds on: "covered" (a dark, nearly featureless picture that still has sensor noise)
    # or "turned" (another scene, as a camera turned away shows).
    tamper: str = ""
    tampered_at: float = 0.0

    def object_x(self) -> str:
        """ffmpeg expression: x of the moving block at time t."""
        travelled = "+".join(f"clip(t-{a:g},0,{b - a:g})" for a, b in self.moves) or "0"
        return f"{self.width * 0.35:.0f}+{self.speed:g}*({travelled})"


def scripted_camera_argv(publish_url: str, script: MotionScript, ffmpeg: str = "ffmpeg") -> list[str]:
    w, h, rate = script.width, script.height, script.bitrate_kbps
    scene = [
        # Still texture: dark and bright slabs, so the picture has contrast (not "blinded").
        f"drawbox=x=0:y={h * 2 // 3}:w={w}:h={h // 3}:color=0x303030:t=fill",
        f"drawbox=x={w // 2}:y={h // 3}:w={w // 8}:h={h // 4}:color=0xa0a0a0:t=fill",
        f"drawbox=x={w * 3 // 4}:y={h // 10}:w={w // 10}:h={h // 2}:color=0x202020:t=fill",
    ]
    chain = ",".join(scene)
    graph = f"color=c=0x707070:size={w}x{h}:rate={script.fps},{chain}[bg];"
    if script.frozen:
        graph += "[bg]null[out]"
    else:
        block = f"color=c=0xf0f0f0:size={w // 10}x{h // 6}:rate={script.fps}[obj];"
        swing = f"color=c=0x101010:size={w // 14}x{h // 10}:rate={script.fps}[swing];" if script.swing else ""
        graph = block + swing + graph
        graph += f"[bg][obj]overlay=x='{script.object_x()}':y={h // 2}:eval=frame[moved];"
        if script.swing:
            swing_x = f"{w * 0.08:.0f}+{w * 0.1:.0f}*sin(2*PI*t)"
            graph += f"[moved][swing]overlay=x='{swing_x}':y={h * 0.1:.0f}:eval=frame[scene];"
        else:
            graph += "[moved]null[scene];"
        graph += "[scene]noise=alls=12:allf=t[out]"
    if script.tamper == "covered":
        cover = f"color=c=0x141414:size={w}x{h}:rate={script.fps},noise=alls=4:allf=t[cover];"
        graph = (
            cover
            + graph.replace("[out]", "[open];")
            + f"[open][cover]overlay=enable='gte(t,{script.tampered_at:g})'[out]"
        )
    elif script.tamper == "turned":
        other = (f"color=c=0xb0b0b0:size={w}x{h}:rate={script.fps},"
                 f"drawbox=x=0:y=0:w={w // 3}:h={h}:color=0x282828:t=fill,noise=alls=12:allf=t[other];")  # fmt: skip
        graph = (
            other
            + graph.replace("[out]", "[open];")
            + f"[open][other]overlay=enable='gte(t,{script.tampered_at:g})'[out]"
        )
    if script.clock:
        graph = graph.replace("[out]", "[noisy];") + f"[noisy]{clock_filters(script.clock, h, script.fps)}[out]"
    return [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
        "-f", "lavfi", "-i", graph.replace("[out]", ""),
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
        "-g", str(script.fps), "-keyint_min", str(script.fps), "-sc_threshold", "0",
        "-b:v", f"{rate}k", "-maxrate", f"{rate}k", "-bufsize", f"{rate}k",
        "-f", "rtsp", "-rtsp_transport", "tcp", publish_url,
    ]  # fmt: skip


class ScriptedCamera:
    def __init__(self, publish_url: str, log_path: Path, script: MotionScript | None = None) -> None:
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise VidStreamError("ffmpeg is not installed", "apt-get install ffmpeg")
        self.publish_url = publish_url
        self.script = script or MotionScript()
        self.process = ManagedProcess("scripted-camera", scripted_camera_argv(publish_url, self.script, ffmpeg),
                                      log_path)  # fmt: skip

    def start(self) -> None:
        self.process.start()

    def stop(self) -> None:
        self.process.stop(timeout=3)
