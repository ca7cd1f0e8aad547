"""The process under test for the motion bench's highlight leg: the app's main window on the real core, one
scripted camera (MediaMTX, its own detector), and a sampler thread that reads the camera tile's top border row
from the X server every few milliseconds. It reports when the border turned motion-orange and back, and when
the detector's notices came, as one JSON line on stdout.

Run by bench/motion.py as `python -m bench.motion_wall '<json options>'` (needs a display).
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import qasync
from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QApplication

from bench.common import mediamtx_server, wait_path_ready
from bench.xgrab import XGrabber

SAMPLE_EVERY_S = 0.004
# The lit border's colour (the theme's motion orange, #ff9f1c) in the X server's BGRX order, and the tolerance
# the GUI test allows.
LIT_BGR = np.array([28, 159, 255])
TOLERANCE = 40


class BorderSampler(threading.Thread):
    """Samples one screen row on its own X connection; keeps the times the row turned lit and unlit."""

    def __init__(self, x: int, y: int, width: int) -> None:
        super().__init__(name="border-sampler", daemon=True)
        self.rect = (x, y, width, 1)
        self.lit_at: list[float] = []
        self.unlit_at: list[float] = []
        self.samples = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        grabber = XGrabber()
        lit = False
        while not self._stopping.is_set():
            row = grabber.grab_bgrx(*self.rect)[0, 4:-4:16, :3].astype(int)  # the GUI test's pixels
            now = time.time()
            self.samples += 1
            is_lit = bool(np.all(np.abs(row - LIT_BGR) < TOLERANCE))
            if is_lit != lit:
                (self.lit_at if is_lit else self.unlit_at).append(now)
                lit = is_lit
            self._stopping.wait(SAMPLE_EVERY_S)

    def stop(self) -> None:
        self._stopping.set()
        self.join(2)


async def scenario(options: dict[str, Any]) -> dict[str, Any]:
    from bench.motion import stream_origin
    from video_streaming.adapters.local_storage import LocalFolderStorage
    from video_streaming.bootstrap import EmbeddedStack, build_core
    from video_streaming.config import Settings
    from video_streaming.motion.detector import MotionSettings
    from video_streaming.motion.service import MotionNotice, NoticeKind
    from video_streaming.runtime.scripted_camera import SWING_REGION, MotionScript, ScriptedCamera
    from video_streaming.secrets import SecretStore
    from vidstream_desktop.main_window import MainWindow

    work = Path(options["work"])
    moves = tuple(tuple(move) for move in options["moves"])
    with mediamtx_server(work) as server:
        camera = ScriptedCamera(server.endpoints.rtsp_url("yard"), work / "yard.log", MotionScript(moves=moves))
        camera.start()
        try:
            wait_path_ready(server, "yard")
            origin = await asyncio.to_thread(stream_origin, server, "yard")
            settings = Settings(data_dir=str(work / "core"), demo_cameras=0)
            store = SecretStore(work / "secrets.json", use_keyring=False)
            archive = LocalFolderStorage(work / "archive")
            core = build_core(settings, store, EmbeddedStack(server, None), storage=archive)
            yard = core.add_camera("Yard", server.endpoints.rtsp_url("yard")).value
            core.set_motion_settings(str(yard.id), MotionSettings(masks=(SWING_REGION,)))
            notices: list[tuple[str, float]] = []
            assert core.motion is not None

            def heard(notice: MotionNotice) -> None:
                if notice.kind in (NoticeKind.STARTED, NoticeKind.ENDED):
                    notices.append((notice.kind.value, time.time()))

            core.motion.listeners.append(heard)
            await core.start()
            window = MainWindow(QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
            window.resize(1280, 800)
            window.show()
            await window.attach_core(core).populate()
            tile = next(t for t in window.grid.tiles() if t.camera_id == str(yard.id))
            await asyncio.sleep(1.0)  # the window laid out and painted before the sampler reads its pixels
            corner = tile.mapToGlobal(QPoint(0, 0))
            sampler = BorderSampler(corner.x(), corner.y(), tile.width())
            sampler.start()
            end = origin + float(options["seconds"])
            while time.time() < end:  # noqa: ASYNC110 - the script runs on the camera's clock, not on an event
                await asyncio.sleep(0.2)
            sampler.stop()
            window.grid.stop_all(wait_s=10)
            window.close()
            await asyncio.wait_for(core.close(), timeout=30)
        finally:
            camera.stop()
    return {"origin": origin, "moves": moves, "lit_at": sampler.lit_at, "unlit_at": sampler.unlit_at,
            "samples": sampler.samples, "notices": notices}  # fmt: skip


def main() -> None:
    options = json.loads(sys.argv[1])
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the scenario closes the window, then the core
    from vidstream_desktop.resources import load_theme

    load_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(scenario(options))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
