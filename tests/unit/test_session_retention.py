"""The desktop app expires recordings on time while it runs: a first sweep soon after start, then hourly,
with a failing sweep told to the operator instead of stopping the timer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from video_streaming.config import Settings
from video_streaming.domain.errors import ServerUnreachable
from video_streaming.retention import SweepReport
from vidstream_desktop.controllers import session as session_module
from vidstream_desktop.controllers.session import AppSession, SessionOptions


class SweepingCore:
    def __init__(self, outcomes: list[SweepReport | Exception]) -> None:
        self.outcomes = outcomes
        self.sweeps = 0
        self.alerts: list[tuple[str, str]] = []
        self.retention = self

    async def sweep(self) -> SweepReport:
        outcome = self.outcomes[min(self.sweeps, len(self.outcomes) - 1)]
        self.sweeps += 1
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def alert(self, level: str, message: str) -> None:
        self.alerts.append((level, message))


async def test_retention_runs_on_a_timer_and_reports_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_module, "RETENTION_FIRST_SWEEP_S", 0.01)
    monkeypatch.setattr(session_module, "RETENTION_INTERVAL_S", 0.05)
    core = SweepingCore([ServerUnreachable("cannot reach the archive"), SweepReport(errors=["r1: locked until May"])])
    session = AppSession(SessionOptions(settings=Settings()))
    task = asyncio.ensure_future(session._apply_retention(core))  # type: ignore[arg-type]
    await asyncio.sleep(0.2)
    task.cancel()
    assert core.sweeps >= 3, "the timer keeps sweeping after a failure"
    messages: list[Any] = [message for _, message in core.alerts]
    assert any("retention sweep failed: cannot reach the archive" in m for m in messages)
    assert any("retention: r1: locked until May" in m for m in messages)
