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


class TickingCore(SweepingCore):
    """Counts polls and what happened before each: the revive and the poll of one tick, in that order."""

    def __init__(self) -> None:
        super().__init__([SweepReport()])
        self.events: list[str] = []

    async def poll(self) -> str:
        self.events.append("poll")
        return f"health {self.events.count('poll')}"

    def directory(self) -> str:
        return f"directory after poll {self.events.count('poll')}"


class Publisher:
    def __init__(self, core: TickingCore) -> None:
        self.core = core

    def publish_soon(self, directory: str, now: float) -> None:
        self.core.events.append(directory)


async def test_each_tick_revives_then_polls_and_run_stops_when_told() -> None:
    core = TickingCore()

    def revive() -> list[str]:
        core.events.append("revive")
        return []

    seen: list[object] = []

    def after_tick(health: object) -> bool:
        seen.append(health)
        return len(seen) < 3  # as `serve --duration` ends its loop

    upkeep = Upkeep(core, revive, Publisher(core))  # type: ignore[arg-type]
    await asyncio.wait_for(upkeep.run(after_tick, asyncio.Event(), every_s=0.01), timeout=10)
    assert seen == ["health 1", "health 2", "health 3"]
    assert core.events == [event for n in (1, 2, 3) for event in ("revive", "poll", f"directory after poll {n}")]

    stopped = asyncio.Event()
    stopped.set()
    await Upkeep(core).run(after_tick, stopped)  # type: ignore[arg-type]
    assert len(seen) == 3, "a loop told to stop runs no tick"


async def test_the_loop_sweeps_retention_from_its_start() -> None:
    core = TickingCore()
    core.wanted_sweeps = 1  # the first sweep comes at once; the next an hour later
    stop = asyncio.Event()

    def after_tick(health: object) -> bool:
        if core.swept_enough.is_set():
            stop.set()
        return True

    await asyncio.wait_for(Upkeep(core).run(after_tick, stop, every_s=0.01, first_sweep_after_s=0.0), timeout=10)  # type: ignore[arg-type]
    assert core.sweeps == 1 and core.events.count("poll") >= 1
