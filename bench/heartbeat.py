"""A bare asyncio loop that only sleeps 5 ms at a time and notes how late it wakes: the baseline for event
loop stalls. Run beside the app (`python -m bench.heartbeat SECONDS`), it shows how much lateness the
machine alone causes (two busy cores, the scheduler), so the app's own share can be told apart."""

from __future__ import annotations

import asyncio
import json
import sys
import time

INTERVAL_S = 0.005


def runqueue_wait_ms(tid: int | None = None) -> float:
    """Time a thread (default: this process's main thread) has spent runnable but waiting for a CPU, from
    /proc/.../schedstat: the machine's share of any stall, as opposed to waiting on a lock or the GIL."""
    path = f"/proc/self/task/{tid}/schedstat" if tid else "/proc/self/schedstat"
    try:
        with open(path) as handle:
            return int(handle.read().split()[1]) / 1e6
    except (OSError, ValueError, IndexError):
        return float("nan")


async def beat(seconds: float) -> list[float]:
    lateness = []
    deadline = time.perf_counter() + seconds
    while (now := time.perf_counter()) < deadline:
        await asyncio.sleep(INTERVAL_S)
        lateness.append(max(0.0, (time.perf_counter() - now - INTERVAL_S) * 1000))
    return lateness


def describe(lateness: list[float]) -> dict[str, object]:
    from bench.common import summary

    return {
        "summary": summary(lateness),
        "max_ms": max(lateness) if lateness else None,
        "over_16ms": sum(1 for v in lateness if v > 16),
        "over_50ms": sum(1 for v in lateness if v > 50),
        "beats": len(lateness),
    }


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    waited = runqueue_wait_ms()
    result = describe(asyncio.run(beat(seconds)))
    result["runqueue_wait_ms"] = runqueue_wait_ms() - waited
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
