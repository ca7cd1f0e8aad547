"""`vidstream-desktop`: QApplication on a qasync event loop; opens the wall on the embedded default
(app-managed MediaMTX, synthetic demo cameras, local MinIO archive) or on a configured setup."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
from pathlib import Path

import qasync
from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from video_streaming.config import Settings, load_settings
from video_streaming.domain.errors import VidStreamError
from video_streaming.log_setup import configure_logging
from video_streaming.private_files import restrict_process
from vidstream_desktop.controllers.session import AppSession, SessionOptions
from vidstream_desktop.main_window import MainWindow, default_log_file
from vidstream_desktop.resources import RESOURCES_DIR, load_theme

log = logging.getLogger("vidstream_desktop")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vidstream-desktop", description="VidStream camera wall")
    parser.add_argument("--demo", action="store_true", help="force the embedded demo (MediaMTX, cameras, MinIO)")
    parser.add_argument("--config", type=Path, help="a config.toml describing a real setup")
    parser.add_argument("--data-dir", type=Path, help="where the catalog and recordings live")
    parser.add_argument(
        "--screenshot", type=Path, action="append",
        help="save a screenshot of the screen after --wait seconds, then quit; given again, each next one a "
             "second later (to see that pictures move)",
    )  # fmt: skip
    parser.add_argument("--wait", type=float, default=6.0, help="seconds before --screenshot / --quit-after")
    parser.add_argument("--quit-after", type=float, help="quit after this many seconds (smoke tests)")
    parser.add_argument("--lang", help="user-interface language, e.g. pt_BR")
    parser.add_argument("--record-all", action="store_true", help="start recording every camera at start-up")
    return parser.parse_args(argv)


def install_translation(app: QApplication, language: str | None) -> QTranslator | None:
    """The app's own strings, Qt's (dialog buttons, context menus, the calendar) and the locale's dates and
    numbers (weekday names, decimal commas) all in the chosen language. Returns the app's translator."""
    locale = QLocale(language) if language else QLocale.system()
    QLocale.setDefault(locale)
    qt_translator = QTranslator(app)
    if qt_translator.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
    translator = QTranslator(app)
    if translator.load(locale, "vidstream", "_", str(RESOURCES_DIR / "i18n")):
        app.installTranslator(translator)
        return translator
    return None


def build_settings(args: argparse.Namespace) -> tuple[Settings, bool]:
    settings = load_settings(args.config) if args.config else load_settings()
    demo = args.demo or (args.config is None and settings.mediamtx.embedded)
    if args.data_dir:
        settings = dataclasses.replace(settings, data_dir=str(args.data_dir))
    return settings, demo


async def run_app(app: QApplication, args: argparse.Namespace) -> int:
    qsettings = QSettings()
    window = MainWindow(qsettings)
    window.show()
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    try:
        settings, demo = build_settings(args)
    except VidStreamError as error:
        QMessageBox.critical(window, window.tr("Configuration error"), str(error))
        return 2
    window.log_file = default_log_file(settings.data_path)
    configure_logging(log_file=window.log_file)  # rotating, secrets masked; Help → Open log folder
    session = AppSession(SessionOptions(settings=settings, demo=demo))
    try:
        core = await session.start()
        wall = window.attach_core(core)
        wall.tick = session.tick
        await wall.populate()
        if args.record_all:
            await wall.record_all()
    except VidStreamError as error:
        log.error("start-up failed: %s", error)
        window.show_alert("error", str(error))
        if not (args.screenshot or args.quit_after):  # unattended runs must not wait on a dialog
            QMessageBox.critical(window, window.tr("VidStream could not start"), str(error))
    if args.screenshot:

        shots: list[Path] = list(args.screenshot)

        def screenshot_and_close() -> None:
            save_screenshot(shots.pop(0), window)
            if shots:
                QTimer.singleShot(1000, screenshot_and_close)
            else:
                window.close()

        QTimer.singleShot(int(args.wait * 1000), screenshot_and_close)
    elif args.quit_after:
        QTimer.singleShot(int(args.quit_after * 1000), window.close)
    await closed.wait()
    if window.recordings_panel is not None:
        await window.recordings_panel.aclose()  # stops playback, cancels downloads (partial ones stay for a resume)
    window.grid.stop_all()
    if window.wall is not None:
        await window.wall.shutdown()
    await session.stop()
    return 0


def save_screenshot(path: Path, window: MainWindow) -> None:
    """The window as the operator sees it: from the screen, so VLC's pixels are included."""
    screen = QGuiApplication.primaryScreen()
    frame = window.frameGeometry()
    path.parent.mkdir(parents=True, exist_ok=True)
    screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(str(path))
    log.info("screenshot saved to %s", path)


def main(argv: list[str] | None = None) -> int:
    restrict_process()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    configure_logging()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("VidStream")
    app.setOrganizationName("VidStream")
    app.setQuitOnLastWindowClosed(False)  # the qasync loop ends the app after an orderly shutdown
    install_translation(app, args.lang)
    load_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return int(loop.run_until_complete(run_app(app, args)))


if __name__ == "__main__":
    sys.exit(main())
