"""2. Time to first frame after a tile is assigned a camera.

One tile is cleared and re-assigned again and again (at staggered moments, so assignments land all over
the camera's keyframe interval). Two clocks per assignment: LivePlayer.time_to_first_frame_ms (connect
-> libvlc's first video output) and the time until the barcode is readable on screen. The first frame
shown carries its own frame number and encode time, which splits the on-screen time into "waiting for
the next keyframe" (the stream starts at one) and "pipeline delay" (encode -> screen).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.barcode import BarcodeCamera
from bench.common import BenchContext, mediamtx_server, summary, wait_path_ready
from bench.wall_client import WallProcess

NAME = "ttff"
TITLE = "Time to first frame"


def measure_assignments(
    ctx: BenchContext, url: str, transport: str, gop: int, repeats: int, log_name: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """`repeats` assignments of one tile to `url` over `transport`; the summaries of both clocks. `extra`:
    more wall-app options (the relay's RTMP route)."""
    options = {
        "mode": "ttff",
        "layout": "1x1",
        "surface": (640, 360),
        "transport": transport,
        "urls": [url],
        "repeats": repeats,
        "video_codec": "H264",
        **(extra or {}),
    }
    with WallProcess(options, ctx.work_dir / "logs" / log_name) as wall:
        event = wall.wait_event("ttff", 60 + repeats * 20)
    trials = event["results"]
    for trial in trials:
        if trial.get("first_code_ms") is not None:
            code = int(trial["first_code_ms"])
            assigned = float(trial["assigned_wall_ms"]) % (1 << 24)
            seen = float(trial["first_seen_wall_ms"]) % (1 << 24)
            trial["keyframe_wait_ms"] = _mod_delta(code, assigned)
            trial["pipeline_ms"] = _mod_delta(seen, code)
            trial["first_is_keyframe"] = int(trial["first_frame"]) % gop == 0
    return {
        "gop_frames": gop,
        "transport": transport,
        "trials": trials,
        "player_ttff": summary([t["player_ttff_ms"] for t in trials if t["player_ttff_ms"] is not None]),
        "glass_ttff": summary([t["glass_ttff_ms"] for t in trials if t["glass_ttff_ms"] is not None]),
        "keyframe_wait": summary([t["keyframe_wait_ms"] for t in trials if "keyframe_wait_ms" in t]),
        "pipeline": summary([t["pipeline_ms"] for t in trials if "pipeline_ms" in t]),
        "failed": sum(1 for t in trials if t["state"] != "live"),
    }


def run(ctx: BenchContext) -> dict[str, Any]:
    repeats = 8 if ctx.quick else 20
    gops = (25,) if ctx.quick else (25, 10)
    work = ctx.tmp("ttff")
    runs: dict[str, Any] = {}
    with mediamtx_server(work) as server:
        for gop in gops:
            path = f"bar-g{gop}"
            camera = BarcodeCamera(server.endpoints.rtsp_url(path), work / f"camera-{gop}.log", gop=gop)
            with camera:
                wait_path_ready(server, path)
                ctx.say(f"ttff: {repeats} assignments over SRT, keyframe every {gop} frames")
                runs[f"gop{gop}"] = measure_assignments(
                    ctx, server.endpoints.srt_url(path), "srt", gop, repeats, f"wall-ttff-{gop}.log"
                )
            s = runs[f"gop{gop}"]["glass_ttff"]
            ctx.say(f"  on glass: p50 {s['median']:.0f} ms, p95 {s['p95']:.0f} ms")
    return {
        "parameters": {
            "repeats": repeats,
            "transport": "srt",
            "tile_caching_ms": 100,
            "stream": "640x360@25 barcode camera, libx264 ultrafast zerolatency",
        },
        "runs": runs,
        "target": {"median_ms": 500},
    }


def _mod_delta(later: float, earlier: float) -> float:
    delta = (later - earlier) % (1 << 24)
    return delta - (1 << 24) if delta > (1 << 23) else delta


def report(data: dict[str, Any], plots: Path) -> str:
    from bench.plots import ttff_plot

    files = ttff_plot(data, plots)
    lines = [
        "| keyframe interval | clock | n | median ms | p95 ms | max ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for run in data["runs"].values():
        gop = f"{run['gop_frames']} frames ({run['gop_frames'] * 40} ms)"
        for key, label in (
            ("glass_ttff", "assign -> barcode readable on screen"),
            ("player_ttff", "LivePlayer.time_to_first_frame_ms"),
            ("keyframe_wait", "  of which: wait for the next keyframe"),
            ("pipeline", "  of which: encode -> screen of that frame"),
        ):
            s = run[key]
            lines.append(f"| {gop} | {label} | {s['n']} | {_f(s['median'])} | {_f(s['p95'])} | {_f(s['max'])} |")
    lines.append("")
    lines += [f"![{f.stem}](results/{f.name})" for f in files]
    return "\n".join(lines)


def _f(value: Any) -> str:
    return "–" if value is None else f"{value:.0f}"


def findings(data: dict[str, Any]) -> str:
    out = []
    runs = data["runs"]
    default = runs.get("gop25")
    if default and default["glass_ttff"]["n"]:
        g, w, p = default["glass_ttff"], default["keyframe_wait"], default["pipeline"]
        verdict = "met" if g["median"] <= 500 else f"missed by {g['median'] - 500:.0f} ms"
        out.append(
            f"- **Target (median <= 500 ms): {verdict}** with a keyframe every second: median {g['median']:.0f} "
            f"ms, p95 {g['p95']:.0f} ms on screen."
        )
        out.append(
            f"- It splits into two parts. Connecting and then waiting for the camera's next keyframe "
            f"(median {w['median']:.0f} ms, p95 {w['p95']:.0f} ms, spread evenly over the keyframe interval: "
            "the picture can only start at a keyframe, and MediaMTX hands a new SRT reader the stream from "
            "the moment it joins, without an earlier keyframe), then that keyframe's own trip to the screen "
            f"(median {p['median']:.0f} ms), close to the live latency of section 1: VLC's network-caching "
            "and SRT's 120 ms hold the first frame too."
        )
        firsts = [t.get("first_is_keyframe") for t in default["trials"] if "first_is_keyframe" in t]
        if firsts:
            out.append(f"- The first picture shown was a keyframe in {sum(firsts)} of {len(firsts)} assignments.")
    short = runs.get("gop10")
    if short and short["glass_ttff"]["n"]:
        g = short["glass_ttff"]
        out.append(
            f"- With a keyframe every 400 ms the same tile shows its first frame in {g['median']:.0f} ms median "
            f"({g['p95']:.0f} ms p95), {'within' if g['median'] <= 500 else 'still just above'} the target: the "
            "keyframe interval, a camera setting, decides this target more than the app. The rest is the "
            "pipeline part, which only the lower-latency path of section 1 would shorten."
        )
    if default:
        diffs = [
            t["glass_ttff_ms"] - t["player_ttff_ms"]
            for t in default["trials"]
            if t.get("glass_ttff_ms") is not None and t.get("player_ttff_ms") is not None
        ]
        if diffs:
            from bench.common import summary

            d = summary(diffs)
            out.append(
                f"- LivePlayer.time_to_first_frame_ms agrees with the screen: the barcode was readable "
                f"{d['median']:.0f} ms (median) after the player reported its first frame. It only covers "
                "the last connection attempt, though (see HLS in section 1)."
            )
    return "\n".join(out)
