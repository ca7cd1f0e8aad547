"""The qasync loop fixture runs coroutines while Qt processes events (the app's own arrangement)."""

from __future__ import annotations

import asyncio

import qasync
from PySide6.QtCore import QAbstractEventDispatcher, QTimer
from PySide6.QtWidgets import QApplication

from tests.fixtures.qt import TestLoop, run


def test_coroutines_and_qt_timers_share_the_loop(qasync_loop: qasync.QEventLoop) -> None:
    fired: list[str] = []
    QTimer.singleShot(10, lambda: fired.append("qt"))

    async def wait_a_bit() -> str:
        await asyncio.sleep(0.1)
        return "done"

    assert run(qasync_loop, wait_a_bit()) == "done"
    assert fired == ["qt"]


def test_a_closed_loop_leaves_no_qt_timer_registered(qapp: QApplication) -> None:
    """qasync's own close leaves the Qt timer of a callback still scheduled registered; freed later from a
    worker thread, the loop's timer object could not unregister it and the next loop fired it into freed
    memory (docs/pitfalls.md). The tests' loop unregisters them as it closes."""
    dispatcher = QAbstractEventDispatcher.instance()
    assert dispatcher is not None
    plain = qasync.QEventLoop(qapp, already_running=False)
    plain.call_later(30, lambda: None)
    plain.close()
    try:
        assert dispatcher.registeredTimers(plain._timer), "qasync now unregisters them itself: TestLoop.close can go"
    finally:
        for timer_id in list(plain._timer._SimpleTimer__callbacks):  # the very hazard: not left to a later test
            plain._timer.killTimer(timer_id)
    ours = TestLoop(qapp, already_running=False)
    ours.call_later(30, lambda: None)
    assert dispatcher.registeredTimers(ours._timer)
    ours.close()
    assert dispatcher.registeredTimers(ours._timer) == []
