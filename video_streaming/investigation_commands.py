"""`vidstream bookmark …`, the signed multi-camera `vidstream export` and `vidstream verify EXPORT`."""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from video_streaming.adapters.overlay import burn_overlay
from video_streaming.evidence import (
    EvidenceExport,
    default_key_path,
    export_evidence,
    fingerprint,
    signing_key,
    verify_evidence,
)


def add_investigation_commands(commands: Any, parse_time: Any) -> None:
    bookmark = commands.add_parser("bookmark", help="mark cameras over a time range; kept from retention")
    actions = bookmark.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="bookmark one or more cameras between two moments")
    add.add_argument("--camera", action="append", required=True, help="camera id (repeat for several)")
    add.add_argument("--from", dest="start", required=True, type=parse_time, help="e.g. 2026-11-25T14:20:00")
    add.add_argument("--to", dest="end", required=True, type=parse_time)
    add.add_argument("--name", required=True)
    add.add_argument("--note", default="")
    listing = actions.add_parser("list", help="bookmarks, newest first; filter by text, camera and time")
    listing.add_argument("--text", default="", help="part of the name or the note")
    listing.add_argument("--camera", action="append")
    listing.add_argument("--since", type=parse_time)
    listing.add_argument("--until", type=parse_time)
    remove = actions.add_parser("remove", help="forget a bookmark (its footage follows retention again)")
    remove.add_argument("bookmark_id")

    verify = commands.add_parser("verify", help="check a signed evidence export (folder or ZIP)")
    verify.add_argument("export", type=Path)
    verify.add_argument("--fingerprint", help="the signing key's fingerprint the export must carry (SHA256:...)")
    commands.add_parser("evidence-key", help="this workstation's evidence signing key: its fingerprint, to pin")


async def bookmark_command(core: Any, args: argparse.Namespace) -> int:
    service = core.bookmarks
    if args.action == "add":
        outcome = await service.add(args.name, args.camera, args.start, args.end, args.note, actor="cli")
        print(outcome.bookmark.id)
        if outcome.supported and outcome.held:
            print(f"legal hold on {outcome.held} archived segment(s)", file=sys.stderr)
        for error in outcome.errors:
            print(f"warning: no legal hold: {error}", file=sys.stderr)
        return 0
    if args.action == "list":
        found = await service.search(args.text, cameras=args.camera, since=args.since, until=args.until)
        names = {str(camera.id): camera.name for camera in core.cameras()}
        for mark in found:
            cameras = ", ".join(names.get(camera_id, camera_id) for camera_id in mark.camera_ids)
            note = f"  {mark.note}" if mark.note else ""
            print(f"{mark.id}  {mark.start:%Y-%m-%d %H:%M:%S} -> {mark.end:%Y-%m-%d %H:%M:%S} UTC  {mark.name!r}  "
                  f"[{cameras}]  by {mark.created_by}{note}")  # fmt: skip
        return 0
    if args.action == "remove":
        outcome = await service.remove(args.bookmark_id, actor="cli")
        if outcome.held:
            print(f"legal hold lifted from {outcome.held} archived segment(s)", file=sys.stderr)
        return 0
    raise AssertionError(args.action)


async def export_signed(
    core: Any, camera_ids: list[str], start: datetime, end: datetime, destination: Path,
    progress: Callable[[int, int], None] | None = None, cancel: threading.Event | None = None, *,
    overlay: bool = False, actor: str = "operator",
) -> EvidenceExport:  # fmt: skip
    """The signed evidence export of the CLI and the recordings browser: this workstation's key, its download
    cache, and the burnt-in copy when asked (progress 0..1000 per camera)."""
    data_dir = core.catalog.path.parent
    return await export_evidence(core, camera_ids, start, end, destination, progress, cancel,
                                 key_path=default_key_path(data_dir), cache_dir=data_dir / "cache" / "segments",
                                 actor=actor, overlay=burn_overlay if overlay else None)  # fmt: skip


async def evidence_export_command(core: Any, args: argparse.Namespace) -> int:
    """Progress to stderr (a percentage over all cameras), then the package and its key's fingerprint."""
    shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal shown
        percent = min(100, done * 100 // max(total, 1))
        if percent != shown:
            shown = percent
            print(f"\rexporting {len(args.camera)} camera(s): {percent:3d} %", end="", file=sys.stderr, flush=True)

    result = await export_signed(core, args.camera, args.start, args.end, Path(args.destination), progress,
                                 overlay=args.overlay, actor="cli")  # fmt: skip
    print(file=sys.stderr)
    for name in result.without_footage:
        print(f"warning: {name} recorded nothing in the range (listed in the manifest)", file=sys.stderr)
    print(f"{result.path}  {result.files} file(s)  {result.size / 2**20:.1f} MiB  signed by {result.fingerprint}")
    return 0


def evidence_key_command(data_dir: Path) -> int:
    """The fingerprint a verifier pins, told over another channel than the export itself (made on first use)."""
    path = default_key_path(data_dir)
    print(f"{fingerprint(signing_key(path).public_key())}  {path}")
    return 0


async def verify_command(args: argparse.Namespace) -> int:
    result = await asyncio.to_thread(verify_evidence, args.export, args.fingerprint)
    for name in result.checked:
        print(f"ok  {name}")
    if result.ok:
        print(f"verified: {args.export} is as signed by {result.fingerprint} ({len(result.checked)} file(s))")
        if not args.fingerprint:
            print("note: compare that fingerprint with the exporting workstation's (`vidstream evidence-key` there), "
                  "or pass it as --fingerprint: anyone can sign a package with a key of their own", file=sys.stderr)
        return 0
    for problem in result.problems:
        print(f"FAILED  {problem}", file=sys.stderr)
    print(f"error: {args.export} does not verify ({len(result.problems)} problem(s))", file=sys.stderr)
    return 1
