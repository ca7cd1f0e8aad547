"""7. UI responsiveness: the longest stall of the app's qasync event loop while 16 tiles play and 4 uploads
run, with the idle wall, tiles alone and uploads alone measured in the same process for comparison.

Two heartbeats run on the wall's qasync loop: a 5 ms PreciseTimer QTimer (Qt's side of the loop) and a
5 ms asyncio sleep (the asyncio side); lateness = how much later than 5 ms each tick came. Uploads are
what the Archiver does per segment (SHA-256 in a thread, then S3Storage.upload_file of a 30 MB segment to
a local MinIO), four at a time, in the same process. At the same time a bare asyncio heartbeat runs in a
separate process (bench.heartbeat): lateness it sees too comes from the machine (two saturated cores),
not from the app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.archive import make_files
from bench.barcode import BarcodeCamera
from bench.common import BenchContext, mediamtx_server, minio_server, wait_path_ready
from bench.latency import LAYOUTS
from bench.wall_client import WallProcess

NAME = "ui"
TITLE = "UI responsiveness"


def run(ctx: BenchContext) -> dict[str, Any]:
    seconds = 5.0 if ctx.quick else 10.0
    conditions = ["idle", "uploads", "tiles", "tiles+uploads", "tiles+uploads-elsewhere"]
    work = ctx.tmp("ui")
    files = make_files(work / "segments", 4, 30_000_000)
    with minio_server(work) as minio, mediamtx_server(work) as mediamtx:
        import boto3

        boto3.client(
            "s3",
            endpoint_url=minio.endpoint_url,
            aws_access_key_id=minio.credentials.access_key,
            aws_secret_access_key=minio.credentials.secret_key,
            region_name="us-east-1",
        ).create_bucket(Bucket="bench-ui")
        with BarcodeCamera(mediamtx.endpoints.rtsp_url("ui"), work / "camera.log"):
            wait_path_ready(mediamtx, "ui")
            layout, surface = LAYOUTS[16]
            options = {
                "mode": "ui",
                "layout": layout,
                "surface": surface,
                "seconds": seconds,
                "conditions": conditions,
                "urls": [mediamtx.endpoints.srt_url("ui")] * 16,
                "files": [str(f) for f in files],
                "s3": {
                    "endpoint_url": minio.endpoint_url,
                    "bucket": "bench-ui",
                    "access_key": minio.credentials.access_key,
                    "secret_key": minio.credentials.secret_key,
                },
            }
            ctx.say(f"ui: {len(conditions)} conditions x {seconds:.0f} s")
            with WallProcess(options, ctx.work_dir / "logs" / "wall-ui.log") as wall:
                event = wall.wait_event("ui", 120 + len(conditions) * (seconds + 40))
    results = event["results"]
    for key, r in results.items():
        q, bare = r["qt_timer"], r["bare_process_asyncio"]
        ctx.say(
            f"  {key}: longest QTimer stall {q['max_ms']:.1f} ms, {q['over_16ms']} over 16 ms; "
            f"bare process longest {bare.get('max_ms', float('nan')):.1f} ms"
        )
    return {
        "parameters": {
            "heartbeat_ms": 5,
            "seconds_per_condition": seconds,
            "tiles": 16,
            "uploads": 4,
            "upload_file_bytes": 30_000_000,
            "transport": "srt",
        },
        "conditions": results,
        "target": {"max_stall_ms": 16},
    }


def report(data: dict[str, Any], plots: Path) -> str:
    from bench.plots import ui_plot

    files = ui_plot(data, plots)
    lines = [
        "| condition | QTimer: longest / p99 ms | QTimer ticks > 16 ms | asyncio sleep: longest / p99 ms | "
        "bare process (same time): longest / p99 ms, > 16 ms | loop thread waiting for a CPU, s (bare process) | "
        "tiles live | upload MB/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in data["conditions"].values():
        q, a, b = r["qt_timer"], r["asyncio_sleep"], r["bare_process_asyncio"]
        bare = (
            f"{b['max_ms']:.1f} / {b['summary']['p99']:.1f}, {b['over_16ms']}" if b.get("max_ms") is not None else "–"
        )
        upload = f"{r['upload_mb_per_s']:.0f}" if r.get("upload_mb_per_s") is not None else "–"
        waited = r.get("main_thread_runqueue_wait_ms")
        wait = f"{waited / 1000:.1f} ({b.get('runqueue_wait_ms', 0) / 1000:.1f})" if waited is not None else "–"
        lines.append(
            f"| {r['label']} | {q['max_ms']:.1f} / {q['summary']['p99']:.1f} | {q['over_16ms']} of {q['beats']} | "
            f"{a['max_ms']:.1f} / {a['summary']['p99']:.1f} | {bare} | {wait} | {r['tiles_live']} | {upload} |"
        )
    lines.append("")
    lines += [f"![{f.stem}](results/{f.name})" for f in files]
    return "\n".join(lines)


def findings(data: dict[str, Any]) -> str:
    c = data["conditions"]
    out = []
    target = c.get("tiles+uploads")
    if target:
        q = target["qt_timer"]
        verdict = "met" if q["max_ms"] <= 16 else f"missed by {q['max_ms'] - 16:.0f} ms"
        out.append(
            f"- **Target (longest stall <= 16 ms with 16 tiles + 4 uploads): {verdict}**: longest "
            f"{q['max_ms']:.0f} ms, {q['over_16ms']} of {q['beats']} ticks later than 16 ms."
        )
    idle = c.get("idle")
    if idle:
        out.append(
            f"- The floor of this machine: even the idle wall's longest stall is {idle['qt_timer']['max_ms']:.0f} "
            f"ms, and a bare asyncio process beside it sees {idle['bare_process_asyncio'].get('max_ms', 0):.0f} "
            "ms (a shared 2-core VM)."
        )
    tiles = c.get("tiles")
    if tiles:
        out.append(
            f"- 16 tiles alone: longest {tiles['qt_timer']['max_ms']:.0f} ms against "
            f"{tiles['bare_process_asyncio'].get('max_ms', 0):.0f} ms in the bare process at the same time: "
            "the tiles do not block the loop themselves (libvlc decodes on its own threads); what lateness "
            "there is, the whole machine shares."
        )
    uploads = c.get("uploads")
    if uploads and target:
        out.append(
            f"- The uploads are what hurts: alone they stretch the longest stall to {uploads['qt_timer']['max_ms']:.0f}"
            f" ms. First, the machine runs out of CPU: uploading at {uploads['upload_mb_per_s']:.0f} MB/s means "
            "hashing every byte up to four times in our process while MinIO stores it on the same two cores; the "
            f"loop's thread spent {uploads['main_thread_runqueue_wait_ms'] / 1000:.1f} s of the "
            f"{uploads['seconds']:.0f} s window runnable but waiting for a CPU (the bare process: "
            f"{uploads['bare_process_asyncio'].get('runqueue_wait_ms', 0) / 1000:.1f} s)."
        )
    elsewhere = c.get("tiles+uploads-elsewhere")
    if elsewhere and target:
        a, b = target["qt_timer"], elsewhere["qt_timer"]
        same_place = "the same" if abs(a["max_ms"] - b["max_ms"]) < 0.25 * a["max_ms"] else "a different"
        out.append(
            f"- Second, the interpreter: with the very same 4 uploads running in another process, the app's longest "
            f"stall is {b['max_ms']:.0f} ms ({b['over_16ms']} ticks > 16 ms, p99 {b['summary']['p99']:.0f} ms) "
            f"against {a['max_ms']:.0f} ms ({a['over_16ms']} ticks, p99 {a['summary']['p99']:.0f} ms) with them "
            f"inside the app, at {elsewhere['upload_mb_per_s']:.0f} vs {target['upload_mb_per_s']:.0f} MB/s. "
            + (
                "Moving them out helps, which points at the GIL: boto3 and the per-chunk hashing are Python code "
                "on threads that share the GUI's interpreter."
                if b["max_ms"] < 0.75 * a["max_ms"]
                else f"That is {same_place} picture, so the GIL is not the main cause here; CPU is."
            )
        )
        out.append(
            "- What would help, cheapest first: drop the redundant hashing passes (section 5), which removes "
            "most of the upload CPU; cap the Archiver's upload rate while the wall is on screen (a backlog "
            "after an outage is when 4 uploads run flat out); run the archiver in a separate process (the "
            "headless recorder daemon already exists) so its threads never hold the GUI's GIL. With S3 on "
            "another machine, MinIO's share of the CPU would also leave."
        )
    return "\n".join(out)
