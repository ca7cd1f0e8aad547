"""`vidstream motion …`: turn detection on or off for a camera (a headless recorder has no dialog), list its
events, and search a region of its picture over a time range."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from video_streaming.domain.errors import InvalidInput, VidStreamError
from video_streaming.motion.detector import MotionSettings, Polygon


def parse_region(text: str) -> Polygon:
    """`left,top,right,bottom` in fractions of the picture."""
    try:
        left, top, right, bottom = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("write the region as left,top,right,bottom, e.g. 0.1,0.2,0.5,0.8") from None
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
        raise argparse.ArgumentTypeError("the region must lie inside the picture (0..1) with left<right, top<bottom")
    return ((left, top), (right, top), (right, bottom), (left, bottom))


def add_motion_commands(commands: Any, parse_time: Any) -> None:
    motion = commands.add_parser("motion", help="motion detection: settings, events, search")
    actions = motion.add_subparsers(dest="action", required=True)
    settings = actions.add_parser("set", help="turn detection on (default) or off for a camera")
    settings.add_argument("camera_id")
    settings.add_argument("--off", action="store_true")
    settings.add_argument("--sensitivity", type=int, help="1 (only strong changes) to 100 (the faintest)")
    settings.add_argument("--min-area", type=float, help="smallest moving area, percent of the picture")
    settings.add_argument("--mask", type=parse_region, action="append", default=None,
                          help="left,top,right,bottom of a region to ignore (repeatable)")  # fmt: skip
    events = actions.add_parser("events", help="the latest motion events")
    events.add_argument("--camera")
    events.add_argument("--limit", type=int, default=50)
    search = actions.add_parser("search", help="moments with motion in a region, from the stored grid")
    search.add_argument("camera_id")
    search.add_argument("--region", type=parse_region, default=parse_region("0,0,1,1"))
    search.add_argument("--since", type=parse_time)
    search.add_argument("--until", type=parse_time)


def motion_command(core: Any, args: argparse.Namespace) -> int:
    if core.motion is None:
        print("error: motion detection is not available", file=sys.stderr)
        return 2
    store = core.motion.store
    try:
        if args.action == "set":
            current = store.settings(args.camera_id)
            updated = MotionSettings(
                enabled=not args.off,
                sensitivity=args.sensitivity if args.sensitivity is not None else current.sensitivity,
                min_area=args.min_area / 100 if args.min_area is not None else current.min_area,
                masks=tuple(args.mask) if args.mask is not None else current.masks,
            )
            core.set_motion_settings(args.camera_id, updated)
            state = "off" if args.off else f"on, sensitivity {updated.sensitivity}, {len(updated.masks)} mask(s)"
            print(f"motion detection {state}")
            return 0
        if args.action == "events":
            for event in store.events(args.camera, limit=args.limit):
                start = datetime.fromtimestamp(event.start, UTC)
                length = f"{event.end - event.start:.1f} s" if event.end is not None else "ongoing"
                print(f"{start.isoformat(timespec='seconds')}  {event.camera_id}  {length}")
            return 0
        until = args.until or datetime.now(UTC)
        since = args.since or until - timedelta(days=1)
        for start, end in core.motion.search(args.camera_id, args.region, since, until):
            print(f"{start.isoformat(timespec='seconds')}  {end.isoformat(timespec='seconds')}")
        return 0
    except (InvalidInput, VidStreamError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
