"""Part of `latency`: a 16-tile layout switched to 1x1 and back, then the time until every tile shows a picture
encoded after the switch back. Warm (VideoTile.WARM_S: hidden tiles keep their streams for 30 s, the app's
default) against cold (WARM_S 0: every stream stopped and started again, as before), in the same run, on the
same MediaMTX path and relay route as the live rows.

The grabber reads 16 barcodes one after another, so each tile's time is known to ~one sweep (~20-60 ms)."""

from __future__ import annotations

from typing import Any

from bench.common import BenchContext, summary
from bench.wall_client import WallProcess

WARMTHS = {"warm": 30.0, "cold": 0.0}


def measure(
    ctx: BenchContext, url: str, layout: str, surface: tuple[int, int], extra: dict[str, Any]
) -> dict[str, Any]:
    repeats = 4 if ctx.quick else 10
    out: dict[str, Any] = {"repeats": repeats, "away_s": 2.0, "tiles": 16}
    for name, warm_s in WARMTHS.items():
        options = {
            "mode": "switch", "layout": layout, "surface": surface, "transport": "relay", "urls": [url] * 16,
            "repeats": repeats, "away_s": 2.0, "warm_s": warm_s, "video_codec": "H264", **extra,
        }  # fmt: skip
        ctx.say(f"latency: layout switch 4x4 -> 1x1 -> 4x4, {name}, {repeats} times")
        try:
            with WallProcess(options, ctx.work_dir / "logs" / f"wall-switch-{name}.log") as wall:
                trials = wall.wait_event("switch", 60 + repeats * 30)["trials"]
        except (TimeoutError, RuntimeError) as error:
            out[name] = {"status": f"failed: {error}", "all_tiles": summary([]), "per_tile": summary([])}
            continue
        per_tile = [ms for trial in trials for ms in trial["tiles_ms"] if ms is not None]
        out[name] = {
            "status": "ok",
            "trials": trials,
            "all_tiles": summary([t["all_ms"] for t in trials if t["all_ms"] is not None]),
            "per_tile": summary(per_tile),
            "tiles_never_fresh": sum(1 for trial in trials for ms in trial["tiles_ms"] if ms is None),
        }
        s = out[name]["all_tiles"]
        ctx.say(f"  every tile fresh after: p50 {s['median']:.0f} ms, max {s['max']:.0f} ms")
    return out


def report_lines(data: dict[str, Any] | None) -> list[str]:
    if not data:
        return []
    lines = [
        "",
        f"Layout switch (16 tiles, 4x4 -> 1x1 for {data['away_s']:.0f} s -> 4x4, {data['repeats']} times; time until "
        "each tile shows a picture encoded after the switch back):",
        "",
        "| hidden tiles | every tile: median ms | max ms | one tile: median ms | p95 ms | tiles never fresh (10 s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, label in (("warm", "keep playing 30 s (default)"), ("cold", "stopped at once (before)")):
        run = data.get(name)
        if not run:
            continue
        a, t = run["all_tiles"], run["per_tile"]
        lines.append(f"| {label} | {_f(a['median'])} | {_f(a['max'])} | {_f(t['median'])} | {_f(t['p95'])} | "
                     f"{run.get('tiles_never_fresh', '–')} |")  # fmt: skip
    return lines


def _f(value: Any) -> str:
    return "–" if value is None else f"{value:.0f}"
