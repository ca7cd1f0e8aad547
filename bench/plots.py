"""PNG plots for REPORT.md (matplotlib, Agg backend), drawn from the JSON results only."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

plt.rcParams.update({"figure.dpi": 100, "font.size": 10, "axes.grid": True, "grid.alpha": 0.3})
OURS, BASE, OTHER = "#1f77b4", "#ff7f0e", "#7f7f7f"


def _save(fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _ok(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


# ---------------------------------------------------------------------------------------------------


def latency_plots(data: dict[str, Any], out: Path) -> list[Path]:
    variants = [r for r in data["variants"].values() if r.get("summary", {}).get("n")]
    files = []
    # 1: p50/p95 per player and tile count, log scale (HLS and default VLC are seconds).
    fig, ax = plt.subplots(figsize=(10, 0.45 * max(len(variants), 4) + 1.2))
    labels = [f"{r['variant']['label']}  x{r['variant']['tiles']}" for r in variants]
    p50 = [r["summary"]["median"] for r in variants]
    p95 = [r["summary"]["p95"] for r in variants]
    y = np.arange(len(variants))
    colors = [OURS if r["variant"]["kind"] == "tile" else BASE for r in variants]
    ax.barh(y, p95, color=colors, alpha=0.35, label="p95")
    ax.barh(y, p50, color=colors, label="p50")
    for yi, a, b in zip(y, p50, p95, strict=True):
        ax.text(b * 1.05, yi, f"{a:.0f} / {b:.0f} ms", va="center", fontsize=8)
    target = data.get("target", {}).get("p95_ms_at_16_tiles_default_transport")
    if target:
        ax.axvline(target, color="red", linestyle="--", linewidth=1, label=f"target p95 {target} ms (16 tiles)")
    ax.set_xscale("log")
    ax.set_xlim(20, max(p95) * 3)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("glass-to-glass latency, ms (log scale); dark = p50, light = p95")
    ax.set_title("Glass-to-glass latency, 640x360@25 (blue: our VideoTile, orange: baselines)")
    ax.legend(loc="lower right", fontsize=8)
    files.append(_save(fig, out / "latency_summary.png"))

    # 2: distributions of the sub-second players (box plots per variant).
    fast = [r for r in variants if r["summary"]["p95"] < 1000]
    if fast:
        fig, ax = plt.subplots(figsize=(10, 0.45 * len(fast) + 1.2))
        samples = [[v for tile in r["samples_ms"] for v in tile] for r in fast]
        ax.boxplot(
            samples,
            vert=False,
            whis=(5, 95),
            showfliers=False,
            tick_labels=[f"{r['variant']['label']}  x{r['variant']['tiles']}" for r in fast],
        )
        ax.invert_yaxis()
        ax.tick_params(axis="y", labelsize=8)
        ax.set_xlabel("glass-to-glass latency, ms (box: p25-p75, whiskers: p5-p95)")
        ax.set_title("Latency distribution of the sub-second players")
        files.append(_save(fig, out / "latency_distribution.png"))
    return files


def ttff_plot(data: dict[str, Any], out: Path) -> list[Path]:
    runs = list(data["runs"].values())
    fig, axes = plt.subplots(1, len(runs), figsize=(5.5 * len(runs), 4), squeeze=False)
    for ax, run in zip(axes[0], runs, strict=True):
        trials = sorted(
            (t for t in run["trials"] if t.get("keyframe_wait_ms") is not None), key=lambda t: t["glass_ttff_ms"]
        )
        x = np.arange(1, len(trials) + 1)
        wait = [max(t["keyframe_wait_ms"], 0) for t in trials]
        pipe = [t["pipeline_ms"] for t in trials]
        ax.bar(x, wait, color=OTHER, label="assign -> first keyframe encoded (connect + keyframe wait)")
        ax.bar(x, pipe, bottom=wait, color=OURS, label="that keyframe: encode -> screen")
        target = data.get("target", {}).get("median_ms")
        if target:
            ax.axhline(target, color="red", linestyle="--", linewidth=1, label=f"target median {target} ms")
        ax.set_xlabel("assignments, sorted by time to first frame")
        ax.set_ylabel("assign -> first frame on screen, ms")
        ax.set_title(f"keyframe every {run['gop_frames']} frames ({run['gop_frames'] * 40} ms)")
        ax.set_ylim(0, max(1400, max(np.add(wait, pipe), default=0) * 1.25))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="upper left")
    return [_save(fig, out / "ttff.png")]


def cpu_plot(data: dict[str, Any], out: Path) -> list[Path]:
    counts = [int(n) for n in data["counts"]]
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label, color in (("tile", "our wall (one process)", OURS), ("cvlc", "plain cvlc (one per tile)", BASE)):
        per_tile = [data["runs"][f"{key}-{n}"]["per_tile_process_cores"] for n in counts]
        ax.plot(counts, [v * 100 if _ok(v) else None for v in per_tile], "o-", color=color, label=label)
        with_x = [data["runs"][f"{key}-{n}"]["per_tile_with_x_cores"] for n in counts]
        ax.plot(
            counts,
            [v * 100 if _ok(v) else None for v in with_x],
            "o--",
            color=color,
            alpha=0.5,
            label=f"{label} + its share of Xvfb",
        )
    ax.set_xticks(counts)
    ax.set_xlabel("tiles shown")
    ax.set_ylabel("CPU per tile, % of one core")
    ax.set_title("CPU per tile, 640x360@25 H.264 over SRT")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    return [_save(fig, out / "cpu_per_tile.png")]


def recording_plot(data: dict[str, Any], out: Path) -> list[Path]:
    counts = [int(n) for n in data["counts"]]
    runs = [data["runs"][str(n)] for n in counts]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    a1.plot(
        counts,
        [r["cpu"]["recorders_per_recording"] * 100 for r in runs],
        "o-",
        color=OURS,
        label="ffmpeg per recording",
    )
    a1.plot(counts, [r["cpu"]["mediamtx"] * 100 for r in runs], "o-", color=BASE, label="MediaMTX (all readers)")
    a1.plot(
        counts,
        [r["cpu"]["recorders"] * 100 for r in runs],
        "o--",
        color=OURS,
        alpha=0.5,
        label="ffmpeg, all recordings",
    )
    a1.set_xlabel("simultaneous recordings")
    a1.set_ylabel("% of one core")
    a1.set_xticks(counts)
    a1.set_title("Recording CPU (-c copy)")
    a1.legend(fontsize=8)
    med = [r["first_byte_ms"]["median"] for r in runs]
    p95 = [r["first_byte_ms"]["p95"] for r in runs]
    a2.plot(counts, med, "o-", color=OURS, label="median")
    a2.plot(counts, p95, "o--", color=OURS, alpha=0.6, label="p95")
    a2.axhline(1000, color="red", linestyle="--", linewidth=1, label="target 1000 ms")
    a2.set_xlabel("recordings started at once")
    a2.set_ylabel("click -> first byte on disk, ms")
    a2.set_xticks(counts)
    a2.set_ylim(bottom=0)
    a2.set_title("Click to first byte")
    a2.legend(fontsize=8)
    return [_save(fig, out / "recording.png")]


def archive_plot(data: dict[str, Any], out: Path) -> list[Path]:
    cases = list(data["cases"].values())
    fig, axes = plt.subplots(2, 3, figsize=(15, 7))
    panels = list(axes.flat)
    short = {"boto3": "raw boto3 loop", "archiver": "Archiver", "aws_cli": "aws s3 cp"}
    for ax, case in zip(panels, cases, strict=False):
        keys = [k for k, m in case["methods"].items() if m.get("runs")]
        methods = [{**case["methods"][k], "label": short.get(k, k)} for k in keys]
        y = np.arange(len(methods))
        medians = [m["summary"]["median"] for m in methods]
        colors = [OURS if k == "archiver" else BASE for k in keys]
        ax.barh(y, medians, color=colors, alpha=0.8)
        for yi, m in zip(y, methods, strict=True):
            speeds = [run["mb_per_s"] for run in m["runs"]]
            ax.plot(speeds, [yi] * len(speeds), "k|", markersize=12)
            ax.text(max(speeds) * 1.03, yi, f"{m['summary']['median']:.0f}", va="center", fontsize=8)
        ax.set_yticks(y, [m["label"] for m in methods], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, max(max(run["mb_per_s"] for run in m["runs"]) for m in methods) * 1.25)
        ax.set_xlabel("MB/s (bar: median pass, ticks: each pass)")
        ax.set_title(case["label"].replace(", ", ",\n", 1), fontsize=8)
    for ax in panels[len(cases) : -1]:
        ax.axis("off")
    ax = panels[-1]
    delays = data.get("close_to_verified", {}).get("delays_ms", [])
    if delays:
        xmax = max(2200, max(delays) * 1.1)
        ax.hist(delays, bins=np.linspace(0, xmax, 56), color=OURS)
        ax.axvline(2000, color="red", linestyle="--", linewidth=1, label="target p95 2000 ms")
        ax.set_xlim(0, xmax)
        ax.set_xlabel("segment closed -> verified in S3, ms")
        ax.set_ylabel("segments")
        ax.set_title("Close -> verified, live recording through the core", fontsize=9)
        ax.legend(fontsize=8)
    else:
        ax.axis("off")
    fig.suptitle("Archive uploads to a local MinIO (blue: ours, orange: baselines)")
    fig.tight_layout()
    return [_save(fig, out / "archive.png")]


def control_plane_plot(data: dict[str, Any], out: Path) -> list[Path]:
    counts = [int(n) for n in data["counts"]]
    runs = [data["runs"][str(n)] for n in counts]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    series = (
        ("list_paths", "one list_paths() call", OURS, "o-"),
        ("get_sequential", "N get_stream_status() calls, one after another", BASE, "s-"),
        ("get_concurrent", "N get_stream_status() calls, concurrent", BASE, "s--"),
    )
    for key, label, color, style in series:
        ax.plot(counts, [r[key]["median"] for r in runs], style, color=color, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("MediaMTX paths")
    ax.set_ylabel("one poll cycle, ms (median)")
    ax.set_title("Control plane: cost of one status poll")
    ax.legend(fontsize=8)
    return [_save(fig, out / "control_plane.png")]


def ui_plot(data: dict[str, Any], out: Path) -> list[Path]:
    conditions = list(data["conditions"].values())
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    for condition in conditions:
        lateness = np.sort(np.asarray(condition["qt_timer"]["lateness_ms"]))
        if not len(lateness):
            continue
        exceed = 1.0 - np.arange(len(lateness)) / len(lateness)
        left.step(np.maximum(lateness, 0.05), exceed, where="post", label=condition["label"])
    left.axvline(16, color="red", linestyle="--", linewidth=1, label="16 ms")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("lateness of a 5 ms QTimer tick, ms")
    left.set_ylabel("fraction of ticks at least this late")
    left.set_title("How often the qasync loop runs late", fontsize=10)
    left.legend(fontsize=8)
    y = np.arange(len(conditions))
    h = 0.27
    right.barh(y - h, [c["qt_timer"]["max_ms"] for c in conditions], h, color=OURS, label="app: QTimer")
    right.barh(
        y, [c["asyncio_sleep"]["max_ms"] for c in conditions], h, color=OURS, alpha=0.5, label="app: asyncio sleep"
    )
    right.barh(
        y + h,
        [c["bare_process_asyncio"].get("max_ms") or 0 for c in conditions],
        h,
        color=OTHER,
        label="bare heartbeat process, same time",
    )
    right.axvline(16, color="red", linestyle="--", linewidth=1, label="target 16 ms")
    right.set_yticks(y, [c["label"] for c in conditions], fontsize=8)
    right.invert_yaxis()
    right.set_xlabel("longest stall, ms")
    right.set_title("Longest stall per condition", fontsize=10)
    right.set_xlim(0, max(max(c["qt_timer"]["max_ms"] for c in conditions) * 1.6, 40))
    right.legend(fontsize=8, loc="upper right")
    return [_save(fig, out / "ui_responsiveness.png")]


def catalog_plot(data: dict[str, Any], out: Path) -> list[Path]:
    queries = list(data["queries"].values())
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(queries) + 1.5))
    y = np.arange(len(queries))
    ax.barh(y, [q["ms"]["p95"] for q in queries], color=OURS, alpha=0.35, label="p95")
    ax.barh(y, [q["ms"]["median"] for q in queries], color=OURS, label="median")
    ax.axvline(50, color="red", linestyle="--", linewidth=1, label="target 50 ms")
    ax.set_yticks(y, [q["label"] for q in queries], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ms")
    ax.set_title(f"Catalog queries with {data['parameters']['segments']:,} segments")
    ax.legend(fontsize=8)
    return [_save(fig, out / "catalog.png")]
