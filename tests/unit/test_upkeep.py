"""The upkeep `vidstream serve` and the desktop share: recordings expired on a timer that a failing sweep
never stops (told to the operator instead), and app-owned servers revived with what happened said."""

from __future__ import annotations

import asyncio

from video_streaming.domain.errors import ServerUnreachable
from video_streaming.retention import SweepReport
from video_streaming.upkeep import Upkeep


class SweepingCore:
    def __init__(self, outcomes: list[SweepReport | Exception], wanted_sweeps: int = 3) -> None:
        self.outcomes = outcomes
        self.sweeps = 0
        self.alerts: list[tuple[str, str]] = []
        self.retention = self
        self.wanted_sweeps = wanted_sweeps
        self.swept_enough = asyncio.Event()

    async def sweep(self) -> SweepReport:
        outcome = self.outcomes[min(self.sweeps, len(self.outcomes) - 1)]
        self.sweeps += 1
        if self.sweeps >= self.wanted_sweeps:
            self.swept_enough.set()
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def alert(self, level: str, message: str) -> None:
        self.alerts.append((level, message))


async def test_retention_runs_on_a_timer_and_reports_problems() -> None:
    core = SweepingCore([ServerUnreachable("cannot reach the archive"), SweepReport(errors=["r1: locked until May"]),
                         SweepReport(unarchived=["r2"])])  # fmt: skip
    task = asyncio.ensure_future(Upkeep(core).expire_on_time(first_after_s=0.01, every_s=0.02))  # type: ignore[arg-type]
    try:
        await asyncio.wait_for(core.swept_enough.wait(), timeout=10)
    finally:
        task.cancel()
    assert core.alerts[:2] == [("warning", "retention sweep failed: cannot reach the archive"),
                               ("warning", "retention: r1: locked until May")]  # fmt: skip
    assert core.alerts[2][0] == "error" and "1 recording" in core.alerts[2][1], core.alerts


async def test_revived_servers_are_told_and_a_failed_revival_is_an_error() -> None:
    core = SweepingCore([SweepReport()])
    restarted = Upkeep(core, lambda: ["media server"])  # type: ignore[arg-type]
    assert await restarted.revive() == ["media server"]
    assert core.alerts == [("warning", "restarted after it stopped: media server")]

    def broken() -> list[str]:
        raise ServerUnreachable("MinIO did not come back within 30 s")

    assert await Upkeep(core, broken).revive() == []  # type: ignore[arg-type]
    assert core.alerts[-1] == ("error", "could not restart a server: MinIO did not come back within 30 s")
    assert await Upkeep(core).revive() == [], "nothing to revive where the app owns no servers"  # type: ignore[arg-type]
