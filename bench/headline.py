"""The headline table of REPORT.md: one row per measurement, from the JSON results."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Row = list[str]


def _ms(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _x(value: Any) -> str:
    return "–" if value is None else f"{value:.2f}"


def _verdict(ok: bool | None, detail: str = "") -> str:
    if ok is None:
        return "n/a"
    return "met" if ok else f"**missed**{' ' + detail if detail else ''}"


def latency(data: dict[str, Any]) -> list[Row]:
    rows = []
    v = data["variants"]
    limits = {1: 110, 16: 120}  # p95, ms: issue "Live wall at the floor"
    for n in (1, 4, 16):
        key, label = (f"tile-relay-{n}", "relay") if f"tile-relay-{n}" in v else (f"tile-srt-{n}", "SRT")
        ours = v.get(key)
        if not ours or not ours.get("summary", {}).get("n"):
            continue
        s = ours["summary"]
        srt = v.get(f"tile-srt-{n}", {}).get("summary", {})
        base = v.get(f"cvlc-100-{n}", {}).get("summary", {})
        ff = v.get(f"ffplay-rtsp-{n}", {}).get("summary", {})
        name = "VideoTile (relay) / VideoTile (SRT)" if label == "relay" else "VideoTile (SRT) / cvlc caching 100 (SRT)"
        r = data.get("ratios", {}).get(f"{n} tile(s): {name}", {})
        limit = limits.get(n)
        ok = s["p95"] <= limit if limit else None
        detail = f"by {s['p95'] - limit:,.0f} ms" if limit and ok is False else ""
        baseline = f"cvlc caching 100: {_ms(base.get('median'))} / {_ms(base.get('p95'))}; "
        baseline += f"ffplay RTSP: {_ms(ff.get('median'))} / {_ms(ff.get('p95'))}"
        if label == "relay" and srt:
            baseline = f"tile over SRT: {_ms(srt.get('median'))} / {_ms(srt.get('p95'))}; " + baseline
        rows.append(
            [
                f"Glass-to-glass latency, {n} tile(s), {label}",
                f"{_ms(s['median'])} / {_ms(s['p95'])}",
                baseline,
                f"{_x(r.get('p50'))} / {_x(r.get('p95'))} vs {'SRT' if label == 'relay' else 'cvlc-100'}",
                f"p95 <= {limit} ms" if limit else "–",
                _verdict(ok, detail) if limit else "–",
            ]
        )
    return rows


def ttff(data: dict[str, Any]) -> list[Row]:
    rows = []
    for run in data["runs"].values():
        s, p = run["glass_ttff"], run["player_ttff"]
        ok = s["median"] <= 500 if s["n"] else None
        rows.append(
            [
                f"Time to first frame (keyframe every {run['gop_frames'] * 40} ms)",
                f"on screen {_ms(s['median'])} / {_ms(s['p95'])}; LivePlayer {_ms(p['median'])} / {_ms(p['p95'])}",
                f"of which keyframe wait {_ms(run['keyframe_wait']['median'])} (median)",
                "–",
                "median <= 500 ms",
                _verdict(ok, f"by {s['median'] - 500:,.0f} ms" if ok is False else ""),
            ]
        )
    return rows


def cpu(data: dict[str, Any]) -> list[Row]:
    rows = []
    for n in data["counts"]:
        ours, theirs, r = data["runs"][f"tile-{n}"], data["runs"][f"cvlc-{n}"], data["ratios"][str(n)]
        ok = r["process"] <= 1.1 if r["process"] is not None else None
        rows.append(
            [
                f"CPU per tile, {n} tile(s)",
                f"{100 * ours['per_tile_process_cores']:.1f}% of a core",
                f"plain cvlc {100 * theirs['per_tile_process_cores']:.1f}%",
                f"{_x(r['process'])} (incl. Xvfb {_x(r['with_x_server'])})",
                "ratio <= 1.1",
                _verdict(ok, f"by {r['process'] - 1.1:.2f}" if ok is False else ""),
            ]
        )
    return rows


def recording(data: dict[str, Any]) -> list[Row]:
    rows = []
    for n in data["counts"]:
        run = data["runs"][str(n)]
        fb, lost = run["first_byte_ms"], run["frames_lost_total"]
        ok = lost == 0 and fb["p95"] <= 1000
        rows.append(
            [
                f"Recording x{n} (-c copy, 2 s segments)",
                f"first byte {_ms(fb['median'])} / {_ms(fb['p95'])}; {lost} frames lost of "
                f"{run['frames_expected_total']:,}; {100 * run['cpu']['recorders_per_recording']:.1f}% core/recording",
                "–",
                "–",
                "0 lost, first byte <= 1 s",
                _verdict(ok, f"(first byte p95 by {fb['p95'] - 1000:,.0f} ms)" if lost == 0 and not ok else ""),
            ]
        )
    return rows


def archive(data: dict[str, Any]) -> list[Row]:
    rows = []
    for case in data["cases"].values():
        m = case["methods"]
        ours = m["archiver"]["summary"]
        for baseline, target in (("boto3", 0.95), ("aws_cli", 1.0)):
            if not m[baseline]["runs"]:
                continue
            r = case["ratios"].get(f"archiver/{baseline}")
            rows.append(
                [
                    f"Archive throughput, Archiver vs {m[baseline]['label']}, {case['label']}",
                    f"{ours['median']:.0f} / p5 {ours['p5']:.0f} MB/s",
                    f"{m[baseline]['summary']['median']:.0f} MB/s",
                    _x(r),
                    f"ratio >= {target}",
                    _verdict(r >= target if r is not None else None),
                ]
            )
    delay = data.get("close_to_verified", {}).get("summary")
    if delay and delay.get("n"):
        rows.append(
            [
                "Segment close -> verified in S3",
                f"{_ms(delay['median'])} / {_ms(delay['p95'])}",
                "–",
                "–",
                "p95 <= 2 s",
                _verdict(delay["p95"] <= 2000),
            ]
        )
    return rows


def control_plane(data: dict[str, Any]) -> list[Row]:
    rows = []
    for n in data["counts"]:
        run = data["runs"][str(n)]
        rows.append(
            [
                f"Poll cycle, {n} paths",
                f"list_paths() {_ms(run['list_paths']['median'])} / {_ms(run['list_paths']['p95'])}",
                f"{n} x get_stream_status(): {_ms(run['get_sequential']['median'])}",
                _x(run["ratio_list_vs_get"]),
                "one list call per cycle",
                "met" if run["list_requests"] == 1 else "n/a",
            ]
        )
    return rows


def ui(data: dict[str, Any]) -> list[Row]:
    rows = []
    for key, condition in data["conditions"].items():
        q = condition["qt_timer"]
        if key != "tiles+uploads" and key != "idle":
            continue
        ok = q["max_ms"] <= 16 if key == "tiles+uploads" else None
        rows.append(
            [
                f"Event-loop stall, {condition['label']}",
                f"longest {_ms(q['max_ms'])}; p99 {_ms(q['summary']['p99'])}; {q['over_16ms']} stalls > 16 ms",
                "–",
                "–",
                "<= 16 ms" if key == "tiles+uploads" else "–",
                _verdict(ok, f"by {q['max_ms'] - 16:,.0f} ms" if ok is False else "") if ok is not None else "–",
            ]
        )
    return rows


def catalog(data: dict[str, Any]) -> list[Row]:
    rows = []
    for query in data["queries"].values():
        if not query.get("headline"):
            continue
        s = query["ms"]
        rows.append(
            [
                f"Catalog: {query['label']}",
                f"{_ms(s['median'])} / {_ms(s['p95'])}",
                "–",
                "–",
                "<= 50 ms",
                _verdict(s["p95"] <= 50, f"by {s['p95'] - 50:,.0f} ms" if s["p95"] > 50 else ""),
            ]
        )
    return rows


BUILDERS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "latency": latency,
    "ttff": ttff,
    "cpu_tiles": cpu,
    "recording": recording,
    "archive": archive,
    "control_plane": control_plane,
    "ui": ui,
    "catalog": catalog,
}


def headline_rows(results: dict[str, dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for name in ("latency", "ttff", "cpu_tiles", "recording", "archive", "control_plane", "ui", "catalog"):
        if name in results:
            try:
                rows += BUILDERS[name](results[name])
            except (KeyError, TypeError) as error:
                rows.append([name, f"(result file incomplete: {error})", "–", "–", "–", "n/a"])
    return rows
