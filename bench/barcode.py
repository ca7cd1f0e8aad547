"""A camera whose every frame carries the wall-clock time it was made, as a barcode a screen grab can read.

Frame layout (640x360, yuv420p): three rows of sixteen 40x40 blocks across the top, each black or white,
encode 48 bits: the wall-clock time in ms modulo 2^24 (24 bits), a frame counter modulo 2^16 (16 bits)
and a CRC-8 of those five bytes (8 bits). Big blocks survive libx264 ultrafast/zerolatency and the
scaling of a small tile; the CRC throws away a grab that caught anything but one whole frame. Below the
barcode a grey field with a scrolling gradient gives the encoder some motion to work on.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

WIDTH, HEIGHT, FPS = 640, 360, 25
COLUMNS, ROWS = 16, 3
BLOCK = WIDTH // COLUMNS  # 40 px
BAND_HEIGHT = ROWS * BLOCK  # 120 px of barcode at the top of the frame
BITS = COLUMNS * ROWS
TIME_MODULO = 1 << 24  # ms: wraps every 4.66 h, resolved against the grab time
FRAME_MODULO = 1 << 16
BLACK, WHITE, GREY = 16, 235, 128


def crc8(data: bytes) -> int:
    """CRC-8 (polynomial 0x07, init 0xFF, xor-out 0x55): an all-black or all-white grab never checks out."""
    crc = 0xFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc ^ 0x55


def pack(time_ms: int, frame: int) -> list[int]:
    """The 48 bits (most significant first) for a time and a frame number."""
    t, f = time_ms % TIME_MODULO, frame % FRAME_MODULO
    payload = t.to_bytes(3, "big") + f.to_bytes(2, "big")
    value = (int.from_bytes(payload, "big") << 8) | crc8(payload)
    return [(value >> (BITS - 1 - i)) & 1 for i in range(BITS)]


def unpack(bits: list[int] | np.ndarray) -> tuple[int, int] | None:
    """(time_ms mod 2^24, frame mod 2^16), or None when the CRC does not match."""
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    payload = (value >> 8).to_bytes(5, "big")
    if crc8(payload) != value & 0xFF:
        return None
    return int.from_bytes(payload[:3], "big"), int.from_bytes(payload[3:], "big")


def latency_ms(grab_ms: float, code_ms: int) -> float:
    """grab time - encoded time, with the 24-bit wrap of the encoded time undone."""
    delta = (int(grab_ms) - code_ms) % TIME_MODULO
    if delta > TIME_MODULO // 2:
        delta -= TIME_MODULO
    return delta + (grab_ms - int(grab_ms))


class FrameMaker:
    """Builds yuv420p frames with numpy (~1 ms a frame). Below the barcode: a detailed texture that
    scrolls 8 px a frame plus a little fresh noise every frame, so the encoder spends a camera-like
    ~1 Mbit/s and the players decode real work, not a still picture."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = np.random.default_rng(seed)
        self.y = np.full((HEIGHT, WIDTH), GREY, dtype=np.uint8)
        self.chroma = np.full((HEIGHT // 2) * (WIDTH // 2) * 2, 128, dtype=np.uint8).tobytes()
        rows = HEIGHT - BAND_HEIGHT - 40
        ramp = np.sin(np.linspace(0, 6 * np.pi, 2 * WIDTH)) * 50 + 128
        detail = self.rng.integers(-35, 36, size=(rows, 2 * WIDTH))
        self.texture = np.clip(ramp[None, :] + detail, 0, 255).astype(np.int16)
        self.noise = self.rng.integers(-6, 7, size=(8, rows, WIDTH), dtype=np.int16)  # recycled per frame

    def frame(self, time_ms: int, frame: int) -> bytes:
        y = self.y
        bits = np.array(pack(time_ms, frame), dtype=np.uint8).reshape(ROWS, COLUMNS)
        blocks = np.where(bits == 1, WHITE, BLACK).astype(np.uint8)
        y[:BAND_HEIGHT, :] = np.kron(blocks, np.ones((BLOCK, BLOCK), dtype=np.uint8))
        shift = (frame * 8) % WIDTH
        field = self.texture[:, shift : shift + WIDTH] + np.roll(self.noise[frame % 8], frame, axis=1)
        y[BAND_HEIGHT + 20 : HEIGHT - 20, :] = np.clip(field, 0, 255)
        return y.tobytes() + self.chroma


def encoder_argv(publish_url: str, gop: int = FPS) -> list[str]:
    return [
        "ffmpeg",
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p",
        "-s",
        f"{WIDTH}x{HEIGHT}",
        "-r",
        str(FPS),
        "-i",
        "pipe:0",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-tune",
        "zerolatency",
        "-bf",
        "0",
        "-g",
        str(gop),
        "-keyint_min",
        str(gop),
        "-sc_threshold",
        "0",
        "-pix_fmt",
        "yuv420p",
        "-b:v",
        "1000k",
        "-maxrate",
        "1000k",
        "-bufsize",
        "500k",
        "-f",
        "rtsp",
        "-rtsp_transport",
        "tcp",
        publish_url,
    ]


@dataclass
class BarcodeCamera:
    """Python paces frames at 25 fps in real time and pipes them into ffmpeg, which publishes over RTSP."""

    publish_url: str
    log_path: Path
    gop: int = FPS
    frames_sent: int = 0
    first_frame_ms: float = 0.0
    _process: subprocess.Popen[bytes] | None = None
    _thread: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    sent_log: list[tuple[int, float]] = field(default_factory=list)  # (frame, wall ms), kept when asked
    keep_log: bool = False

    def start(self) -> None:
        if shutil.which("ffmpeg") is None:
            raise RuntimeError("ffmpeg is not installed")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                encoder_argv(self.publish_url, self.gop),
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        self._stop.clear()
        self._thread = threading.Thread(target=self._pump, name="barcode-camera", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        maker = FrameMaker()
        process = self._process
        assert process is not None and process.stdin is not None
        period = 1.0 / FPS
        start = time.monotonic()
        frame = 0
        while not self._stop.is_set():
            due = start + frame * period
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1.0:  # fell far behind (machine stalled): skip ahead instead of bursting
                start = time.monotonic() - frame * period
            now_ms = time.time() * 1000
            if frame == 0:
                self.first_frame_ms = now_ms
            try:
                process.stdin.write(maker.frame(int(now_ms), frame))
                process.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                return
            if self.keep_log:
                self.sent_log.append((frame, now_ms))
            frame += 1
            self.frames_sent = frame

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
        process = self._process
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin:
                process.stdin.close()
        try:
            process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=3)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def __enter__(self) -> BarcodeCamera:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


# ---------------------------------------------------------------------------------------------------
# Reading the barcode back from pixels


@dataclass(frozen=True)
class VideoRect:
    """Where a 16:9 picture sits on screen (absolute pixels)."""

    x: int
    y: int
    width: int
    height: int

    def band(self) -> tuple[int, int, int, int]:
        """The screen rectangle holding the barcode rows (x, y, w, h)."""
        return self.x, self.y, self.width, max(1, round(self.height * BAND_HEIGHT / HEIGHT))


def fit_rect(x: int, y: int, width: int, height: int) -> VideoRect:
    """Where an aspect-preserving player centres a 640x360 picture in a (x, y, width, height) window."""
    scale = min(width / WIDTH, height / HEIGHT)
    w, h = round(WIDTH * scale), round(HEIGHT * scale)
    return VideoRect(x + (width - w) // 2, y + (height - h) // 2, w, h)


def sample_points(width: int, band_height: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel rows/columns of the centre of each block, relative to the band's corner."""
    block_w, block_h = width / COLUMNS, band_height / ROWS
    xs = ((np.arange(COLUMNS) + 0.5) * block_w).astype(int)
    ys = ((np.arange(ROWS) + 0.5) * block_h).astype(int)
    return ys, xs


def decode_band(luma: np.ndarray) -> tuple[int, int] | None:
    """Decode a grey image of the barcode band (rows x columns, any scale)."""
    height, width = luma.shape
    ys, xs = sample_points(width, height)
    ry, rx = max(1, int(height / ROWS / 5)), max(1, int(width / COLUMNS / 5))
    bits = []
    for y in ys:
        for x in xs:
            patch = luma[max(0, y - ry) : y + ry + 1, max(0, x - rx) : x + rx + 1]
            bits.append(1 if float(patch.mean()) > 128 else 0)
    return unpack(bits)


def locate_video(luma: np.ndarray, threshold: int = 40) -> tuple[int, int, int, int] | None:
    """Bounding box (x, y, w, h) of the picture in a grab of a player window: the grey field below the
    barcode fixes left, right and bottom; the top follows from the 16:9 aspect."""
    bright = luma > threshold
    rows = np.where(bright.mean(axis=1) > 0.5)[0]
    if rows.size == 0:
        return None
    bottom = int(rows.max()) + 1
    line = bright[bottom - 1]
    columns = np.where(line)[0]
    if columns.size == 0:
        return None
    left, right = int(columns.min()), int(columns.max()) + 1
    width = right - left
    height = round(width * HEIGHT / WIDTH)
    top = bottom - height
    if top < 0 or width < 64:
        return None
    return left, top, width, height


class BandSampler:
    """Decodes the barcode band of one on-screen picture from a raw BGRX grab, reading a 3x3 patch at
    the centre of each block (green channel: the picture is grey, so green is luma)."""

    def __init__(self, rect: VideoRect) -> None:
        self.rect = rect
        self.x, self.y, self.width, self.height = rect.band()
        ys, xs = sample_points(self.width, self.height)
        offsets = np.array([-1, 0, 1])
        grid_y = (ys[:, None, None, None] + offsets[None, None, :, None]).clip(0, self.height - 1)
        grid_x = (xs[None, :, None, None] + offsets[None, None, None, :]).clip(0, self.width - 1)
        shape = (ROWS, COLUMNS, 3, 3)
        self._ys = np.broadcast_to(grid_y, shape).reshape(BITS, 9)
        self._xs = np.broadcast_to(grid_x, shape).reshape(BITS, 9)

    def decode(self, bgrx: np.ndarray) -> tuple[int, int] | None:
        values = bgrx[self._ys, self._xs, 1].astype(np.uint16).mean(axis=1)
        return unpack((values > 128).astype(np.uint8).tolist())
