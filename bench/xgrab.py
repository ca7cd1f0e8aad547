"""Screen grabs straight from the X server with libX11's XGetImage (through ctypes).

Grabbing only the few screen rows that hold a barcode costs well under a millisecond on Xvfb, where a
full-screen grab costs ~10 ms: small grabs keep the sampling interval of the latency measurement short.
Independent of Qt, so one grabber measures our tiles and external players the same way.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

import numpy as np

ZPIXMAP = 2
ALL_PLANES = ctypes.c_ulong(0xFFFFFFFF)


class _XImage(ctypes.Structure):
    _fields_ = [
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("xoffset", ctypes.c_int),
        ("format", ctypes.c_int),
        ("data", ctypes.POINTER(ctypes.c_ubyte)),
        ("byte_order", ctypes.c_int),
        ("bitmap_unit", ctypes.c_int),
        ("bitmap_bit_order", ctypes.c_int),
        ("bitmap_pad", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("bytes_per_line", ctypes.c_int),
        ("bits_per_pixel", ctypes.c_int),
        # red_mask, green_mask, blue_mask, obdata and the function table follow; not needed here.
    ]


class XGrabber:
    """One X connection of its own (so it can live in any thread or process)."""

    def __init__(self, display: str | None = None) -> None:
        name = ctypes.util.find_library("X11")
        if not name:
            raise RuntimeError("libX11 is not installed")
        self._x = ctypes.CDLL(name)
        self._x.XOpenDisplay.restype = ctypes.c_void_p
        self._x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x.XDefaultRootWindow.restype = ctypes.c_ulong
        self._x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self._x.XGetImage.restype = ctypes.POINTER(_XImage)
        self._x.XGetImage.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_ulong,
            ctypes.c_int,
        ]
        self._x.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
        self._x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x.XDisplayWidth.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self._x.XDisplayHeight.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self._x.XCreateSimpleWindow.restype = ctypes.c_ulong
        self._x.XCreateSimpleWindow.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_ulong,
            ctypes.c_ulong,
        ]
        self._x.XMapWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self._x.XDestroyWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self._x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        display_name = display or os.environ.get("DISPLAY", "")
        self._display = self._x.XOpenDisplay(display_name.encode() or None)
        if not self._display:
            raise RuntimeError(f"cannot open X display {display_name!r}")
        self._root = self._x.XDefaultRootWindow(self._display)

    @property
    def screen_size(self) -> tuple[int, int]:
        return int(self._x.XDisplayWidth(self._display, 0)), int(self._x.XDisplayHeight(self._display, 0))

    def grab_bgrx(self, x: int, y: int, width: int, height: int) -> np.ndarray:
        """Pixels of a screen rectangle as a (height, width, 4) BGRX array (a copy)."""
        image = self._x.XGetImage(self._display, self._root, x, y, width, height, ALL_PLANES, ZPIXMAP)
        if not image:
            raise RuntimeError(f"XGetImage failed for {width}x{height}+{x}+{y}")
        try:
            content = image.contents
            if content.bits_per_pixel != 32:
                raise RuntimeError(f"unsupported {content.bits_per_pixel} bits per pixel")
            stride = content.bytes_per_line
            raw = np.ctypeslib.as_array(content.data, shape=(height * stride,))
            return raw.reshape(height, stride)[:, : width * 4].reshape(height, width, 4).copy()
        finally:
            self._x.XDestroyImage(image)

    def grab(self, x: int, y: int, width: int, height: int) -> np.ndarray:
        """Luma (0-255, uint8) of a screen rectangle, shape (height, width)."""
        pixels = self.grab_bgrx(x, y, width, height).astype(np.uint16)
        # BGRX: integer approximation of Rec.601 luma
        luma = (pixels[:, :, 2] * 77 + pixels[:, :, 1] * 150 + pixels[:, :, 0] * 29) >> 8
        return luma.astype(np.uint8)

    def create_window(self, x: int, y: int, width: int, height: int) -> int:
        """A plain black top-level window (no window manager runs under Xvfb, so it stays where it is
        put). An external player is told to draw into it (`cvlc --drawable-xid`), the way libvlc draws
        into a tile's native window."""
        window = int(self._x.XCreateSimpleWindow(self._display, self._root, x, y, width, height, 0, 0, 0))
        self._x.XMapWindow(self._display, window)
        self._x.XSync(self._display, 0)
        return window

    def destroy_window(self, window: int) -> None:
        self._x.XDestroyWindow(self._display, window)
        self._x.XSync(self._display, 0)

    def close(self) -> None:
        if self._display:
            self._x.XCloseDisplay(self._display)
            self._display = None
