"""8. Catalog: recordings-browser queries on a catalog of 100,000 segments.

The catalog is filled through Catalog's own API (add_recording, add_segment): 10 cameras, one-hour
recordings of 60-second segments, back to back for about a week, so every camera has ~10,000 segments.
Each query runs many times; SQLite's plan (EXPLAIN QUERY PLAN) is recorded beside its time. Where a
query is slow, the same SQL is re-run on a copy of the database with a candidate fix (an extra bound or
index) to show what it would buy; the catalog package itself is not changed here.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import BenchContext, summary

NAME = "catalog"
TITLE = "Catalog queries"
CAMERAS = 10
SEGMENT_S = 60
SEGMENTS_PER_RECORDING = 60


def build(path: Path, total_segments: int) -> tuple[Any, list[str], datetime, dict[str, float]]:
    from video_streaming.catalog import Catalog
    from video_streaming.domain.camera import Camera
    from video_streaming.domain.recording import Recording, RecordingStatus
    from video_streaming.domain.retention import RetentionPolicy

    catalog = Catalog(path)
    cameras = []
    for index in range(CAMERAS):
        camera = Camera.create(f"Camera {index + 1}", f"rtsp://127.0.0.1:8554/cam{index + 1}")
        catalog.save_camera(camera)
        cameras.append(str(camera.id))
    per_camera = total_segments // CAMERAS
    recordings = per_camera // SEGMENTS_PER_RECORDING
    now = datetime.now(UTC).replace(microsecond=0)
    origin = now - timedelta(seconds=per_camera * SEGMENT_S)
    timings = {"add_recording_ms": 0.0, "add_segment_ms": 0.0}
    segments = 0
    for camera_id in cameras:
        for r in range(recordings):
            started = origin + timedelta(seconds=r * SEGMENTS_PER_RECORDING * SEGMENT_S)
            recording = Recording(
                stream_id=None,
                retention_policy=RetentionPolicy(30),
                id=uuid.uuid4(),
                camera_id=camera_id,
                status=RecordingStatus.RECORDING,
                started_at=started,
                storage_path=f"cam/{r}/",
            )
            t = time.perf_counter()
            catalog.add_recording(recording, camera_id, f"/recordings/{camera_id}/{r}")
            ended = started + timedelta(seconds=SEGMENTS_PER_RECORDING * SEGMENT_S)
            catalog.finish_recording(recording.id, "stopped", ended)
            timings["add_recording_ms"] += (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            for s in range(SEGMENTS_PER_RECORDING):
                start = started + timedelta(seconds=s * SEGMENT_S)
                name = start.strftime("%Y%m%dT%H%M%SZ-0.mp4")
                catalog.add_segment(
                    str(recording.id),
                    camera_id,
                    Path(f"/recordings/{r}/{name}"),
                    f"cam/{recording.id}/{name}",
                    start,
                    float(SEGMENT_S),
                    7_500_000,
                )
                segments += 1
            timings["add_segment_ms"] += (time.perf_counter() - t) * 1000
    timings["segments"] = segments
    timings["add_segment_per_row_ms"] = timings["add_segment_ms"] / max(segments, 1)
    return catalog, cameras, now, timings


def timed(function: Any, repeats: int) -> tuple[list[float], Any]:
    function()  # warm the page cache and SQLite's statement cache
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - t) * 1000)
    return times, result


def explain(db: sqlite3.Connection, sql: str, params: list[Any]) -> list[str]:
    return [str(row[-1]) for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)]


def run(ctx: BenchContext) -> dict[str, Any]:
    total = 100_000
    repeats = 10 if ctx.quick else 30
    work = ctx.tmp("catalog")
    path = work / "catalog.sqlite3"
    ctx.say(f"catalog: filling {total:,} segments through Catalog.add_segment")
    t = time.perf_counter()
    catalog, cameras, now, fill = build(path, total)
    fill["seconds"] = time.perf_counter() - t
    ctx.say(f"  filled in {fill['seconds']:.0f} s ({fill['add_segment_per_row_ms']:.2f} ms per segment)")
    camera = cameras[3]
    day, hour = now - timedelta(days=1), now - timedelta(hours=1)
    week_ago = now - timedelta(days=6)
    queries: dict[str, tuple[str, Any, bool]] = {
        "rec_camera_day": (
            "recordings(camera, last 24 h)",
            lambda: catalog.recordings(camera_id=camera, since=day, until=now),
            True,
        ),
        "rec_all_day": ("recordings(all cameras, last 24 h)", lambda: catalog.recordings(since=day, until=now), True),
        "rec_camera_all": ("recordings(camera), no range", lambda: catalog.recordings(camera_id=camera), True),
        "rec_all": ("recordings(), no filter, first page of 1000", lambda: catalog.recordings(), True),
        "seg_camera_hour": (
            "segments(camera, last hour)",
            lambda: catalog.segments(camera_id=camera, since=hour, until=now),
            True,
        ),
        "seg_camera_day": (
            "segments(camera, last 24 h)",
            lambda: catalog.segments(camera_id=camera, since=day, until=now),
            True,
        ),
        "seg_camera_old_hour": (
            "segments(camera, an hour 6 days ago)",
            lambda: catalog.segments(camera_id=camera, since=week_ago, until=week_ago + timedelta(hours=1)),
            False,
        ),
        "pending_uploads": ("pending_upload_count()", catalog.pending_upload_count, False),
    }
    results: dict[str, Any] = {}
    for key, (label, function, headline) in queries.items():
        times, rows = timed(function, repeats)
        results[key] = {
            "label": label,
            "ms": summary(times),
            "rows": len(rows) if isinstance(rows, list) else rows,
            "headline": headline,
        }
        ctx.say(f"  {label}: p50 {results[key]['ms']['median']:.1f} ms, p95 {results[key]['ms']['p95']:.1f} ms")
    catalog.close()
    plans, fixes = analyse_plans(path, work, camera, now, repeats)
    return {
        "parameters": {
            "segments": fill["segments"],
            "cameras": CAMERAS,
            "segment_seconds": SEGMENT_S,
            "segments_per_recording": SEGMENTS_PER_RECORDING,
            "repeats": repeats,
            "recordings": fill["segments"] // SEGMENTS_PER_RECORDING,
        },
        "fill": fill,
        "queries": results,
        "plans": plans,
        "candidate_fixes": fixes,
        "target": {"ms": 50},
    }


def analyse_plans(
    path: Path, work: Path, camera: str, now: datetime, repeats: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The plans of the catalog package's SQL (rebuilt here with the same text), and the effect of candidate fixes
    measured on a copy of the database."""
    from video_streaming.catalog.rows import RECORDING_SELECT

    rec_sql = (
        f"{RECORDING_SELECT} WHERE r.deleted_at IS NULL AND r.camera_id = ? "
        "AND COALESCE(r.ended_at, 1e12) >= ? AND r.started_at <= ? GROUP BY r.id "
        "ORDER BY r.started_at DESC LIMIT ? OFFSET ?"
    )
    rec_all_sql = (
        f"{RECORDING_SELECT} WHERE r.deleted_at IS NULL AND COALESCE(r.ended_at, 1e12) >= ? "
        "AND r.started_at <= ? GROUP BY r.id ORDER BY r.started_at DESC LIMIT ? OFFSET ?"
    )
    seg_sql = (
        "SELECT * FROM segments WHERE 1=1 AND camera_id=? AND start + duration >= ? AND start <= ? "
        "ORDER BY start LIMIT ?"
    )
    day = (now - timedelta(days=1)).timestamp()
    hour = (now - timedelta(hours=1)).timestamp()
    end = now.timestamp()
    db = sqlite3.connect(path)
    plans = {
        "recordings(camera, range)": explain(db, rec_sql, [camera, day, end, 1000, 0]),
        "recordings(all, range)": explain(db, rec_all_sql, [day, end, 1000, 0]),
        "segments(camera, range)": explain(db, seg_sql, [camera, hour, end, 100000]),
    }

    def run_sql(connection: sqlite3.Connection, sql: str, params: list[Any]) -> dict[str, Any]:
        times, rows = timed(lambda: connection.execute(sql, params).fetchall(), repeats)
        return {"ms": summary(times), "rows": len(rows)}

    # Candidate: bound the scan from below too. No segment is longer than the longest one recorded, so
    # `start >= since - max_duration` lets the (camera_id, start) index seek instead of scanning history.
    max_duration = db.execute("SELECT MAX(duration) FROM segments").fetchone()[0]
    bounded_seg = seg_sql.replace("AND start <= ?", "AND start <= ? AND start >= ?")
    fixes = {
        "segments(camera, last hour): as shipped": run_sql(db, seg_sql, [camera, hour, end, 100000]),
        "segments(camera, last hour): + start >= since - max(duration)": run_sql(
            db, bounded_seg, [camera, hour, end, hour - max_duration, 100000]
        ),
    }
    # Candidate: page the recordings first, then aggregate the segments of that page only.
    all_sql = (
        f"{RECORDING_SELECT} WHERE r.deleted_at IS NULL GROUP BY r.id "
        "ORDER BY r.started_at DESC LIMIT ? OFFSET ?"
    )
    paged_sql = (
        RECORDING_SELECT.replace(
            "FROM recordings r",
            "FROM (SELECT * FROM recordings WHERE deleted_at IS NULL ORDER BY started_at DESC LIMIT ? OFFSET ?) r",
        )
        + " GROUP BY r.id ORDER BY r.started_at DESC"
    )
    fixes["recordings(), first 1000: as shipped (SQL only)"] = run_sql(db, all_sql, [1000, 0])
    fixes["recordings(), first 100: as shipped (SQL only)"] = run_sql(db, all_sql, [100, 0])
    fixes["recordings(), first 1000: page recordings first, then aggregate"] = run_sql(db, paged_sql, [1000, 0])
    fixes["recordings(), first 100: page recordings first, then aggregate"] = run_sql(db, paged_sql, [100, 0])
    fixes["segments(camera, last 24 h): as shipped (SQL only)"] = run_sql(db, seg_sql, [camera, day, end, 100000])
    plans["recordings(), no filter"] = explain(db, all_sql, [1000, 0])
    plans["recordings(), paged first"] = explain(db, paged_sql, [1000, 0])
    plans["segments(camera, range) + lower bound"] = explain(db, bounded_seg, [camera, hour, end, hour - 60, 100000])
    db.close()
    return plans, fixes


def report(data: dict[str, Any], plots: Path) -> str:
    from bench.plots import catalog_plot

    files = catalog_plot(data, plots)
    p, fill = data["parameters"], data["fill"]
    lines = [
        f"{p['segments']:,} segments in {p['recordings']:,} recordings of {p['cameras']} cameras; filled through "
        f"Catalog.add_segment in {fill['seconds']:.0f} s ({fill['add_segment_per_row_ms']:.2f} ms per segment, "
        "one transaction each).",
        "",
        "| query | p50 ms | p95 ms | max ms | rows |",
        "|---|---:|---:|---:|---:|",
    ]
    for q in data["queries"].values():
        lines.append(
            f"| {q['label']} | {q['ms']['median']:.2f} | {q['ms']['p95']:.2f} | {q['ms']['max']:.2f} | {q['rows']} |"
        )
    lines += ["", "Query plans (SQLite EXPLAIN QUERY PLAN):", ""]
    for name, plan in data["plans"].items():
        lines.append(f"- {name}: " + "; ".join(f"`{step}`" for step in plan))
    lines += [
        "",
        "Candidate fixes, same SQL on the same database (not applied to the catalog):",
        "",
        "| variant | p50 ms | p95 ms | rows |",
        "|---|---:|---:|---:|",
    ]
    for name, r in data["candidate_fixes"].items():
        lines.append(f"| {name} | {r['ms']['median']:.2f} | {r['ms']['p95']:.2f} | {r['rows']} |")
    lines.append("")
    lines += [f"![{f.stem}](results/{f.name})" for f in files]
    return "\n".join(lines)


def findings(data: dict[str, Any]) -> str:
    q, fixes = data["queries"], data["candidate_fixes"]
    filtered = [v for k, v in q.items() if v.get("headline") and k != "rec_all"]
    worst = max(filtered, key=lambda v: v["ms"]["p95"])
    met = all(v["ms"]["p95"] <= 50 for v in filtered)
    out = [
        f"- **Target (<= 50 ms): {'met' if met else 'missed'}** for every browser query filtered by camera and/or "
        f"time; the slowest is {worst['label']} at {worst['ms']['p95']:.1f} ms p95."
    ]
    unfiltered = q.get("rec_all")
    shipped_100 = fixes.get("recordings(), first 100: as shipped (SQL only)")
    paged_100 = fixes.get("recordings(), first 100: page recordings first, then aggregate")
    if unfiltered and shipped_100 and paged_100:
        out.append(
            f"- {'**Over the line**' if unfiltered['ms']['p95'] > 50 else 'Close to the line'}: `recordings()` "
            "without filters (a browser's first page, limit 1000) takes "
            f"{unfiltered['ms']['median']:.0f} ms median, {unfiltered['ms']['p95']:.0f} ms p95. Its SQL joins and sums "
            "every segment of every recording (`SCAN r` + one index search per recording) before ORDER BY and "
            f"LIMIT, so a smaller page does not help: limit 100 still costs {shipped_100['ms']['median']:.0f} ms. "
            "Paging the recordings first in a subquery, then summing only that page's segments, takes "
            f"{paged_100['ms']['median']:.1f} ms for 100 rows; keeping per-recording totals (segments, bytes, "
            "seconds, archived) in the recordings table, updated by add_segment/mark_archived, would make it "
            "independent of the segment count. It grows with the archive: at 1M segments expect ~10x."
        )
    as_shipped = fixes.get("segments(camera, last hour): as shipped")
    bounded = fixes.get("segments(camera, last hour): + start >= since - max(duration)")
    if as_shipped and bounded:
        per_camera = data["parameters"]["segments"] // data["parameters"]["cameras"]
        out.append(
            f"- `segments(camera, since, until)` is fast today but scans the camera's whole history: its plan is "
            "`segments_by_camera (camera_id=? AND start<?)` with no lower bound, because `start + duration >= "
            f"since` cannot use the index. With {per_camera:,} segments per camera the last hour costs "
            f"{as_shipped['ms']['median']:.1f} ms in SQL; adding `AND start >= :since - :longest_segment` (segments "
            f"are at most segment_seconds long, <= 3600 s) makes it a range seek: {bounded['ms']['median']:.2f} ms. "
            "No new index is needed. Without it the query grows linearly: a year of 60-s segments per camera "
            f"(~525,000) would take ~{as_shipped['ms']['median'] * 525_000 / per_camera:.0f} ms."
        )
    out.append(
        "- Filling the catalog one add_segment transaction at a time runs at "
        f"{data['fill']['add_segment_per_row_ms']:.2f} ms per segment: far faster than segments arrive."
    )
    return "\n".join(out)
