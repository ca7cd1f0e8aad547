"""The qasync loop fixture runs coroutines while Qt processes events (the app's own arrangement)."""

from __future__ import annotations

import asyncio

import qasync
from PySide6.QtCore import QTimer

from tests.fixtures.qt import run


def test_coroutines_and_qt_timers_share_the_loop(qasync_loop: qasync.QEventLoop) -> None:
    fired: list[str] = []
    QTimer.singleShot(10, lambda: fired.append("qt"))

    async def wait_a_bit() -> str:
        await asyncio.sleep(0.1)
        return "done"

    assert run(qasync_loop, wait_a_bit()) == "done"
    assert fired == ["qt"]
