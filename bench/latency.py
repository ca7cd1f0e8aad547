"""1. Glass-to-glass latency of live tiles, side by side with plain cvlc and a tuned ffplay.

The wall's default path (MediaMTX RTSP -> one ffmpeg relay per tile -> MPEG-TS in a private FIFO -> libvlc)
is measured against the former default (libvlc reading MediaMTX's SRT) in the same run, at 1 and 16 tiles,
and so is the first picture after a click (assignment -> barcode readable on screen), for both paths.

A barcode camera (bench.barcode) publishes 640x360@25 over RTSP to MediaMTX; every player reads its own
copy from MediaMTX; the harness grabs each picture's barcode band off the Xvfb screen and notes when
every new frame first appears (bench.grabber). One camera feeds every tile, so the two cores go to the
players rather than to encoders.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import layout_switch
from bench.barcode import FPS, BarcodeCamera, VideoRect, fit_rect
from bench.common import BenchContext, CpuMeter, find_x_server_pid, mediamtx_server, ratio, summary, wait_path_ready
from bench.grabber import capture, wait_decodable
from bench.players import ExternalPlayers, Rect
from bench.wall_client import WallProcess

NAME = "latency"
TITLE = "Glass-to-glass latency"

# Video surface per tile count: 1 and 4 tiles at the stream's native 640x360, 16 tiles as large as a
# 4x4 wall fits on the 1920x1080 screen (each tile also has its 24 px info bar).
LAYOUTS: dict[int, tuple[str, tuple[int, int]]] = {
    1: ("1x1", (640, 360)),
    4: ("2x2", (640, 360)),
    9: ("3x3", (576, 324)),
    16: ("4x4", (416, 234)),
}
PATH = "bar"


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    kind: str  # tile | cvlc-default | cvlc-100 | ffplay
    transport: str  # relay | srt | rtmp | hls | rtsp
    tiles: int
    note: str = ""
    silent_timeout_s: float | None = None  # bench-only override of LivePlayer.SILENT_CONNECT_TIMEOUT_S
    relay_over_rtmp: bool = True  # the relay reads H.264 from MediaMTX's RTMP, as the app's does (False: RTSP)


def plan(quick: bool, transports: list[str]) -> list[Variant]:
    v: list[Variant] = []
    counts = (1, 16) if quick else (1, 4, 16)
    for n in counts:
        v.append(Variant(f"tile-relay-{n}", "VideoTile, ffmpeg relay RTMP -> FIFO (default)", "tile", "relay", n))
        v.append(Variant(f"tile-relay-rtsp-{n}", "VideoTile, ffmpeg relay RTSP -> FIFO (former default)", "tile",
                         "relay", n, relay_over_rtmp=False))  # fmt: skip
        v.append(Variant(f"tile-srt-{n}", "VideoTile, SRT (former default)", "tile", "srt", n))
        v.append(Variant(f"cvlc-100-{n}", "cvlc --network-caching=100, SRT", "cvlc-100", "srt", n))
        v.append(Variant(f"ffplay-rtsp-{n}", "ffplay tuned, RTSP", "ffplay", "rtsp", n))
        if n == 1 and not quick:
            v.append(Variant("cvlc-default-1", "cvlc default caching, SRT", "cvlc-default", "srt", 1))
            if not quick:
                if "rtmp" in transports:
                    v.append(Variant("tile-rtmp-1", "VideoTile, RTMP", "tile", "rtmp", 1))
                    v.append(
                        Variant(
                            "tile-rtmp-patched-1",
                            "VideoTile, RTMP, connect timeout 15 s (bench patch)",
                            "tile",
                            "rtmp",
                            1,
                            "LivePlayer.SILENT_CONNECT_TIMEOUT_S raised from 4 to 15 s",
                            silent_timeout_s=15.0,
                        )
                    )
                if "hls" in transports:
                    v.append(Variant("tile-hls-1", "VideoTile, HLS", "tile", "hls", 1))
                v.append(
                    Variant(
                        "ffplay-srt-1",
                        "ffplay tuned, SRT (latency=20 ms), diagnostic",
                        "ffplay",
                        "srt",
                        1,
                        "splits MediaMTX's SRT delay from the player's",
                    )
                )
                v.append(
                    Variant(
                        "ffplay-srt200-1",
                        "ffplay tuned, SRT (latency=200 ms), diagnostic",
                        "ffplay",
                        "srt",
                        1,
                        "shows how the SRT latency setting adds up",
                    )
                )
    return v


def stream_url(endpoints: Any, transport: str) -> str:
    if transport == "srt":
        return str(endpoints.srt_url(PATH))
    if transport == "rtmp":
        return str(endpoints.rtmp_url(PATH))
    if transport == "hls":
        return str(endpoints.hls_url(PATH))
    return str(endpoints.rtsp_url(PATH))  # rtsp, and the relay (given RTSP; its route turns H.264 to RTMP)


def relay_route_options(endpoints: Any) -> dict[str, str]:
    """What the wall app needs to route its relays over MediaMTX's RTMP, as the app's core does."""
    rtsp, rtmp = endpoints.rtsp_url("").rstrip("/"), endpoints.rtmp_url("").rstrip("/")
    return {"relay_rtsp_base": rtsp, "relay_rtmp_base": rtmp}


def ffplay_url(endpoints: Any, variant: Variant) -> str:
    url = stream_url(endpoints, variant.transport)
    if variant.transport != "srt":
        return url
    return url + ("&latency=200000" if "srt200" in variant.key else "&latency=20000")  # ffmpeg's libsrt takes µs


def tile_grid_rects(n: int) -> list[Rect]:
    """Fallback geometry when no tile run reported its own: the same sizes on a plain grid."""
    layout, (w, h) = LAYOUTS[n]
    columns = int(layout.split("x")[0])
    return [Rect((i % columns) * (w + 4), (i // columns) * (h + 28), w, h) for i in range(n)]


def measure(
    ctx: BenchContext, server: Any, variant: Variant, geometry: dict[int, list[Rect]], min_frames: int
) -> dict[str, Any]:
    endpoints = server.endpoints
    result: dict[str, Any] = {"variant": variant.__dict__, "status": "ok"}
    x_server = find_x_server_pid()
    started = time.monotonic()
    if variant.kind == "tile":
        layout, surface = LAYOUTS[variant.tiles]
        options: dict[str, Any] = {
            "mode": "play",
            "layout": layout,
            "surface": surface,
            "transport": variant.transport,
            "urls": [stream_url(endpoints, variant.transport)] * variant.tiles,
            # RTMP gets 15 s: the bench-patched tile is live after ~7 s, the stock one never is.
            "live_timeout_s": {"hls": 30, "rtmp": 15}.get(variant.transport, 20),
            "video_codec": "H264",  # what the app's wall learns from MediaMTX
        }
        if variant.transport == "relay" and variant.relay_over_rtmp:
            options.update(relay_route_options(endpoints))
        if variant.silent_timeout_s:
            options["silent_connect_timeout_s"] = variant.silent_timeout_s
        wall = WallProcess(options, ctx.work_dir / "logs" / f"wall-{variant.key}.log")
        with wall:
            ready = wall.wait_event("ready", 90)
            tiles = ready["tiles"]
            result["startup_s"] = time.monotonic() - started
            result["tile_states"] = [t["state"] for t in tiles]
            result["tile_details"] = sorted({t["detail"] for t in tiles if t["detail"]})
            result["initial_ttff_ms"] = [t["ttff_ms"] for t in tiles]  # LivePlayer's, last connection only
            result["assign_to_live_ms"] = [t["assign_to_live_ms"] for t in tiles]
            result["connections"] = [t["connections"] for t in tiles]
            rects = [Rect(t["x"], t["y"], t["width"], t["height"]) for t in tiles]
            geometry.setdefault(variant.tiles, rects)
            if variant.key in ("tile-srt-16", "tile-relay-16", "tile-relay-rtsp-16"):
                name = variant.key.removeprefix("tile-").removesuffix("-16")  # relay, relay-rtsp, srt
                save_screen(ctx.results_dir / f"latency_wall_16_{name}.png", rects)
            relays = [t["relay_pid"] for t in tiles if t.get("relay_pid")]
            # What each relay read: a relay that fell back to RTSP would otherwise be counted as RTMP's.
            result["relays_read"] = sorted({str(t.get("relay_reads")) for t in tiles if t.get("relay_reads")})
            if variant.transport == "relay":
                expected = "rtmp" if variant.relay_over_rtmp else "rtsp"
                if result["relays_read"] != [expected]:
                    result["status"] = f"relays read {result['relays_read']}, not {expected}"
            # A degraded or stalled tile has a picture too: the grabber measures what it shows.
            live = [t["state"] in ("live", "degraded", "stalled") for t in tiles]
            result.update(_capture(rects, [wall.pid], x_server, min_frames, live=live, relays=relays))
            # What libvlc counted meanwhile: lost MPEG-TS packets smear a picture until the next key frame.
            wall.send("status")
            after = wall.wait_event("status", 10)["tiles"]
            result["libvlc_counts"] = {
                name: sum(int(t.get(name, 0)) for t in after) for name in ("displayed", "lost_pictures", "damaged")
            }
    else:
        rects = geometry.get(variant.tiles) or tile_grid_rects(variant.tiles)
        ffplay = variant.kind == "ffplay"
        url = ffplay_url(endpoints, variant) if ffplay else stream_url(endpoints, variant.transport)
        players = ExternalPlayers(variant.kind, [url] * variant.tiles, rects, ctx.work_dir / "logs")
        with players:
            video = [fit_rect(r.x, r.y, r.width, r.height) for r in rects]
            shown = wait_decodable(video, 30)
            result["startup_s"] = time.monotonic() - started
            result["tile_states"] = ["live" if ok else "no picture" for ok in shown]
            result.update(_capture(rects, players.pids, x_server, min_frames, live=shown))
            if not players.alive():
                result["status"] = "a player exited"
    return result


def save_screen(path: Path, rects: list[Rect]) -> None:
    """What the grabber looks at: the wall under test, at half size."""
    import matplotlib.pyplot as plt

    from bench.xgrab import XGrabber

    grabber = XGrabber()
    try:
        width = max(r.x + r.width for r in rects) + 4
        height = max(r.y + r.height for r in rects) + 28
        pixels = grabber.grab_bgrx(0, 0, width, height)
    finally:
        grabber.close()
    rgb = pixels[::2, ::2, 2::-1]
    plt.imsave(path, rgb)


def _capture(
    rects: list[Rect], pids: list[int], x_server: int | None, min_frames: int, live: list[bool],
    relays: list[int] | None = None,
) -> dict[str, Any]:  # fmt: skip
    video: list[VideoRect] = [fit_rect(r.x, r.y, r.width, r.height) for r in rects]
    if not any(live):
        return {"status": "never live", "summary": summary([])}
    groups = {"players": pids}
    if x_server:
        groups["x_server"] = [x_server]
    if relays:
        groups["relays"] = relays  # the relayed tiles' ffmpeg processes, counted apart from the wall's
    meter = CpuMeter(groups)
    meter.start()
    shot = capture(video, min_frames=min_frames, min_seconds=min_frames / FPS, max_seconds=min_frames / FPS + 20)
    cpu = meter.stop()
    latencies = shot.all_latencies()
    expected = shot.duration_s * FPS * len(rects)
    return {
        "summary": summary(latencies),
        "per_tile": [summary(t.latencies_ms) for t in shot.tiles],
        "samples_ms": [[round(v, 1) for v in t.latencies_ms] for t in shot.tiles],
        "frames_seen": shot.frames_seen(),
        "frames_expected": round(expected),
        "frames_shown_fraction": shot.frames_seen() / expected if expected else None,
        "undecodable_grabs": sum(t.undecodable_grabs for t in shot.tiles),
        "grabs": sum(t.grabs for t in shot.tiles),
        "capture_s": shot.duration_s,
        "sampling_period_ms": summary(shot.period_ms),
        "cpu_during_capture": cpu,
        "rects": [r.__dict__ for r in rects],
    }


def run(ctx: BenchContext) -> dict[str, Any]:
    from bench.ttff import measure_assignments
    from vidstream_desktop.wall.vlc_backend import RELAY_CACHING_MS, detect_transports

    transports = [t.value for t in detect_transports()]
    load_before = os.getloadavg()
    first_picture: dict[str, Any] = {}
    ttff_repeats = 8 if ctx.quick else 20
    min_frames = 150 if ctx.quick else 300
    variants = plan(ctx.quick, transports)
    results: dict[str, Any] = {}
    switch: dict[str, Any] | None = None
    geometry: dict[int, list[Rect]] = {}
    work = ctx.tmp("latency")
    with mediamtx_server(work) as server:
        camera = BarcodeCamera(server.endpoints.rtsp_url(PATH), work / "camera.log")
        with camera:
            wait_path_ready(server, PATH)
            for variant in variants:
                ctx.say(f"latency: {variant.label} x{variant.tiles}")
                try:
                    results[variant.key] = measure(ctx, server, variant, geometry, min_frames)
                except (TimeoutError, RuntimeError) as error:
                    results[variant.key] = {
                        "variant": variant.__dict__,
                        "status": f"failed: {error}",
                        "summary": summary([]),
                    }
                s = results[variant.key]["summary"]
                ctx.say(
                    f"  {results[variant.key]['status']}: p50 {s['median']:.0f} ms, p95 {s['p95']:.0f} ms, n={s['n']}"
                )
            # First picture: click (assignment) -> barcode readable on screen, keyframe every 25 frames (1 s).
            for transport in [t for t in ("relay", "srt") if t in transports]:
                ctx.say(f"latency: first picture, {ttff_repeats} assignments over {transport}")
                try:
                    run_data = measure_assignments(
                        ctx, stream_url(server.endpoints, transport), transport, FPS, ttff_repeats,
                        f"wall-first-picture-{transport}.log",
                        relay_route_options(server.endpoints) if transport == "relay" else None,
                    )  # fmt: skip
                except (TimeoutError, RuntimeError) as error:
                    run_data = {"status": f"failed: {error}", "glass_ttff": summary([])}
                first_picture[transport] = run_data
                g = run_data["glass_ttff"]
                ctx.say(f"  on glass: p50 {g['median']:.0f} ms, p95 {g['p95']:.0f} ms, n={g['n']}")
            if "relay" in transports:
                layout, surface = LAYOUTS[16]
                switch = layout_switch.measure(ctx, stream_url(server.endpoints, "relay"), layout, surface,
                                               relay_route_options(server.endpoints))  # fmt: skip
    ratios: dict[str, Any] = {}
    names = {
        "cvlc-100": "cvlc caching 100 (SRT)",
        "ffplay-rtsp": "tuned ffplay (RTSP)",
        "cvlc-default": "cvlc default (SRT)",
    }
    names["tile-srt"] = "VideoTile (SRT)"
    for n in sorted({v.tiles for v in variants}):
        for mine, label in (("tile-relay", "VideoTile (relay)"), ("tile-srt", "VideoTile (SRT)")):
            # (the former default, tile-relay-rtsp, is compared below)
            ours = results.get(f"{mine}-{n}", {}).get("summary", {})
            if not ours:
                continue
            for other in ("tile-srt", "cvlc-100", "ffplay-rtsp", "cvlc-default"):
                theirs = results.get(f"{other}-{n}", {}).get("summary")
                if theirs and other != mine:
                    ratios[f"{n} tile(s): {label} / {names[other]}"] = {
                        "p50": ratio(ours.get("median"), theirs["median"]),
                        "p95": ratio(ours.get("p95"), theirs["p95"]),
                    }
    return {
        "parameters": {
            "stream": "640x360@25 H.264 (libx264 ultrafast, zerolatency, -g 25, no B-frames), barcode camera, "
            "published over RTSP to MediaMTX",
            "min_frames_per_tile": min_frames,
            "transports_offered": transports,
            "tile_caching_ms": {"srt": 100, "relay": RELAY_CACHING_MS},
            "layouts": {str(k): v for k, v in LAYOUTS.items()},
            # Other work on the machine moves these numbers: final ones need a quiet machine.
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        },
        "variants": results,
        "ratios": ratios,
        "first_picture": first_picture,
        "layout_switch": switch,
        "target": {
            "p95_ms_at_16_tiles_default_transport": 120,
            "p50_ms_at_16_tiles": 110,
            "p95_ms_at_1_tile": 110,
            "first_picture_median_ms": 500,
            "first_picture_p95_ms": 800,
            "layout_switch_every_tile_ms": 1000,  # 16 tiles away and back: every one moving again within 1 s
        },
    }


# ---------------------------------------------------------------------------------------------------
# Report


def report(data: dict[str, Any], plots: Path) -> str:
    from bench.plots import latency_plots

    variants = data["variants"]
    files = latency_plots(data, plots)
    lines = [
        "| player | tiles | p50 ms | p95 ms | p99 ms | frames | shown | sampling ms | player CPU (cores) | status |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for result in variants.values():
        v, s = result["variant"], result.get("summary", {})
        cpu = (result.get("cpu_during_capture") or {}).get("players")
        shown = result.get("frames_shown_fraction")
        period = (result.get("sampling_period_ms") or {}).get("median")
        lines.append(
            f"| {v['label']} | {v['tiles']} | {_f(s.get('median'))} | {_f(s.get('p95'))} | {_f(s.get('p99'))} | "
            f"{s.get('n', 0)} | {_pct(shown)} | {_f(period, 1)} | {_f(cpu, 2)} | {result['status']} |"
        )
    lines += [
        "",
        "Ratios (VideoTile / baseline, same run):",
        "",
        "| comparison | p50 ratio | p95 ratio |",
        "|---|---:|---:|",
    ]
    for name, value in data.get("ratios", {}).items():
        lines.append(f"| {name} | {_f(value['p50'], 2)} | {_f(value['p95'], 2)} |")
    lines.append("")
    counted = [(r["variant"], r["libvlc_counts"]) for r in variants.values() if r.get("libvlc_counts")]
    if counted:
        lines += ["libvlc's own counts over each tile run (all tiles together; damaged = MPEG-TS packets lost or "
                  "broken, which smear a picture until the next key frame):", "",
                  "| tile run | tiles | pictures shown | pictures dropped | damaged packets |",
                  "|---|---:|---:|---:|---:|"]  # fmt: skip
        for v, c in counted:
            lines.append(f"| {v['label']} | {v['tiles']} | {c['displayed']} | {c['lost_pictures']} | {c['damaged']} |")
        lines.append("")
    first = data.get("first_picture") or {}
    if first:
        lines += [
            "First picture (assignment -> barcode readable on screen, keyframe every 1 s):",
            "",
            "| path | n | median ms | p95 ms | max ms | failed |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for transport, run_data in first.items():
            g = run_data["glass_ttff"]
            lines.append(f"| {transport} | {g['n']} | {_f(g['median'])} | {_f(g['p95'])} | {_f(g['max'])} | "
                         f"{run_data.get('failed', '–')} |")  # fmt: skip
        lines += layout_switch.report_lines(data.get("layout_switch"))
        lines.append("")
    load = (data.get("parameters") or {}).get("load_average_before")
    if load:
        after = data["parameters"].get("load_average_after") or load
        lines += [f"Load average (1/5/15 min) before: {', '.join(f'{v:.2f}' for v in load)}; after: "
                  f"{', '.join(f'{v:.2f}' for v in after)}.", ""]  # fmt: skip
    lines += [f"![{f.stem}](results/{f.name})" for f in files]
    for transport in ("relay", "srt"):
        if (plots / f"latency_wall_16_{transport}.png").exists():
            lines += [
                "",
                f"The 16-tile wall over {transport} as the grabber saw it (half size); the barcode rows top each "
                "picture:",
                "",
                f"![latency_wall_16_{transport}](results/latency_wall_16_{transport}.png)",
            ]
    return "\n".join(lines)


def _f(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def findings(data: dict[str, Any]) -> str:
    v = data["variants"]

    def s(key: str, field: str = "median") -> float | None:
        value = v.get(key, {}).get("summary", {}).get(field)
        return float(value) if value is not None else None

    out = []
    relay16, relay16_p50, relay1 = s("tile-relay-16", "p95"), s("tile-relay-16"), s("tile-relay-1", "p95")
    srt16, srt1 = s("tile-srt-16", "p95"), s("tile-srt-1", "p95")
    if relay16 is not None and relay16_p50 is not None:
        verdict = "met" if relay16 <= 120 and relay16_p50 <= 110 else "missed"
        out.append(
            f"- **Target (16 tiles, default path: p95 <= 120 ms, p50 <= 110 ms): {verdict}.** The relayed wall "
            f"shows p50 {relay16_p50:.0f} ms, p95 {relay16:.0f} ms"
            + (f", against p95 {srt16:.0f} ms over SRT in the same run." if srt16 is not None else ".")
        )
    if relay1 is not None:
        verdict = "met" if relay1 <= 110 else "missed"
        out.append(f"- **Target (1 tile, p95 <= 110 ms): {verdict}**: p95 {relay1:.0f} ms"
                   + (f" (SRT: {srt1:.0f} ms)." if srt1 is not None else "."))  # fmt: skip
    load = (data.get("parameters") or {}).get("load_average_before")
    if load:
        out.append(f"- Load average when the run started: {load[0]:.2f} (1 min) on this machine; numbers from a "
                   "loaded machine are not final ones.")  # fmt: skip
    tile1, cvlc1 = s("tile-srt-1"), s("cvlc-100-1")
    ff_rtsp, ff_srt, ff_srt200 = s("ffplay-rtsp-1"), s("ffplay-srt-1"), s("ffplay-srt200-1")
    if tile1 is not None and cvlc1 is not None:
        same = [r["p50"] for k, r in data.get("ratios", {}).items()
                if "(SRT) / cvlc caching 100" in k and r["p50"]]  # fmt: skip
        spread = f"p50 ratios {min(same):.2f}-{max(same):.2f}" if same else "no ratio"
        out.append(
            f"- Our tile adds nothing measurable over VLC itself: {tile1:.0f} ms vs {cvlc1:.0f} ms for plain "
            f"`cvlc --network-caching=100` over the same SRT read ({spread} at every tile count). The delay is "
            "in the transport and VLC's buffer, not in the widget."
        )
    if ff_rtsp is not None and ff_srt is not None and tile1 is not None:
        line = (
            f"- Where the ~{tile1:.0f} ms go (1 tile, p50): a tuned ffplay reading RTSP shows {ff_rtsp:.0f} ms, "
            "the floor of this chain (encode, MediaMTX, decode, X). The same ffplay reading SRT shows "
            f"{ff_srt:.0f} ms: MediaMTX's SRT output adds {ff_srt - ff_rtsp:.0f} ms, mostly SRT's receive buffer. "
            "SRT uses the larger of the two peers' latencies, and MediaMTX 1.20 builds its SRT listener from "
            "gosrt's defaults (120 ms, not configurable), so a reader's `latency=20` cannot lower it"
        )
        if ff_srt200 is not None:
            line += (
                f" (with `latency=200` ffplay shows {ff_srt200:.0f} ms: {ff_srt200 - ff_srt:.0f} ms more, as expected)"
            )
        line += (
            f". VLC then holds frames for its network-caching (100 ms in our tile): {tile1:.0f} - {ff_srt:.0f} "
            f"= {tile1 - ff_srt:.0f} ms."
        )
        out.append(line)
        out.append(
            "- So no caching setting of the tile can reach 150 ms over SRT from this MediaMTX: caching 0 "
            f"would still leave the ~{ff_srt:.0f} ms ffplay sees. Hence the relay: libavformat reads MediaMTX "
            "(RTMP for H.264, whole frames; RTSP otherwise, whose depacketizer holds each frame until the next "
            "begins) and hands libvlc MPEG-TS through a private FIFO (tile-relay and tile-relay-rtsp rows)."
        )
    ff4 = s("ffplay-rtsp-4")
    if ff_rtsp is not None and ff4 is not None and abs(ff4 - ff_rtsp) > 25:
        out.append(
            "- ffplay's own delay settles when it starts and differs between its runs by a frame or two "
            f"({ff_rtsp:.0f} ms p50 at 1 tile, {ff4:.0f} ms at 4 tiles in this run), each run steady in itself; "
            "VLC's does not move."
        )
    ff16 = s("ffplay-rtsp-16", "p95")
    if ff16 is not None:
        out.append(
            f"- At 16 tiles the tuned ffplay's p95 rises to {ff16:.0f} ms (16 SDL windows on two cores), while "
            "VLC's buffered playout stays flat: VLC's extra buffer also makes it steady."
        )
    rtmp, patched = v.get("tile-rtmp-1"), v.get("tile-rtmp-patched-1")
    if rtmp is not None and rtmp.get("status") == "never live":
        text = (
            "- **Bug: a tile over RTMP never goes live.** libvlc's avio access stays in 'Opening' for ~7.5 s "
            "before it counts a byte as read, and LivePlayer.SILENT_CONNECT_TIMEOUT_S (4 s) ends every attempt "
            "first; MediaMTX logs an RTMP reader that connects and is dropped every ~5 s. detect_transports() "
            "still offers RTMP."
        )
        if patched and patched.get("summary", {}).get("n"):
            live = [x for x in patched.get("assign_to_live_ms") or patched.get("initial_ttff_ms") or [] if x]
            text += (
                f" With the timeout raised to 15 s inside the benchmark process only, the tile goes live after "
                f"{(live[0] / 1000 if live else float('nan')):.1f} s and runs {patched['summary']['median']:.0f} ms "
                "behind: not a live transport either."
            )
        out.append(text)
    hls = v.get("tile-hls-1")
    if hls and hls.get("summary", {}).get("n"):
        live = [x for x in hls.get("assign_to_live_ms") or [] if x]
        ttff = [x for x in hls.get("initial_ttff_ms") or [] if x]
        text = f"- HLS runs {hls['summary']['median'] / 1000:.1f} s behind, as HLS does."
        if live and ttff and hls.get("connections", [1])[0] > 1:
            text += (
                f" Its first picture came {live[0] / 1000:.1f} s after assignment, on connection "
                f"#{hls['connections'][0]}: the first attempt showed nothing within LivePlayer's 12 s connect "
                f"timeout, and time_to_first_frame_ms then reports the retry's {ttff[0]:.0f} ms."
            )
        out.append(text)
    period = v.get("tile-srt-16", {}).get("sampling_period_ms", {}).get("median")
    if period:
        bad = sum(r.get("undecodable_grabs") or 0 for r in v.values())
        grabs = sum(r.get("grabs") or 0 for r in v.values())
        out.append(
            f"- Resolution: each picture was sampled every {period:.1f} ms (median) at 16 tiles; a sample "
            "over-states the true latency by up to one period. "
            f"{bad} of {grabs:,} grabs failed the barcode's checksum."
        )
    return "\n".join(out)
