"""`vidstream`: the headless side. A recorder daemon for servers without a screen, and commands for
cameras, recordings, retention and consistency checks. Secrets are never printed."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import getpass
import logging
import re
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from video_streaming.bootstrap import (
    EmbeddedStack,
    build_core,
    default_secret_store,
    embedded_minio,
    ensure_archive_ready,
    register_demo_cameras,
    start_embedded_stack,
)
from video_streaming.camera_supervisor import CameraState, read_states, write_states
from video_streaming.catalog import RecordingRow
from video_streaming.config import Settings, load_settings
from video_streaming.consistency import check
from video_streaming.core import VidStreamCore
from video_streaming.domain.camera import RecordingMode, mask_url, parse_recording_mode, parse_source_url
from video_streaming.domain.clock import utc_now
from video_streaming.domain.errors import ServerUnreachable, VidStreamError
from video_streaming.health import Health
from video_streaming.investigation_commands import (
    add_investigation_commands,
    bookmark_command,
    evidence_export_command,
    evidence_key_command,
    verify_command,
)
from video_streaming.log_setup import configure_logging
from video_streaming.motion.commands import add_motion_commands, motion_command
from video_streaming.private_files import restrict_process
from video_streaming.runtime.synthetic_camera import CameraSpec, SyntheticCamera
from video_streaming.sites import DirectoryPublisher, directory_of
from video_streaming.upkeep import Upkeep

log = logging.getLogger("vidstream")
CAMERA_STATES_FILE = "camera-states.json"  # written by `serve`, read by `cameras list`
MODE_TEXT = {
    RecordingMode.CONTINUOUS: "all the time",
    RecordingMode.MOTION: "around motion (its detection runs whatever its motion settings say)",
    RecordingMode.MANUAL: "only when asked (`vidstream record`, the desktop's record button)",
}


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.astimezone()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vidstream", description="VidStream headless recorder and tools")
    parser.add_argument("--config", type=Path, help="config.toml (default: the user's config dir)")
    parser.add_argument("--data-dir", type=Path, help="catalog and recordings folder")
    parser.add_argument("-v", "--verbose", action="store_true")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="record the configured cameras, archive and apply retention")
    serve.add_argument("--demo", action="store_true", help="embedded MediaMTX, MinIO and demo cameras")
    serve.add_argument("--no-record", action="store_true", help="stream only, do not record")
    serve.add_argument("--duration", type=float, help="stop after this many seconds")

    cameras = commands.add_parser("cameras", help="manage cameras").add_subparsers(dest="action", required=True)
    add = cameras.add_parser("add")
    add.add_argument("name")
    add.add_argument("url", help="rtsp://user@host/path: the password is asked for (never on the command line)")
    add.add_argument("--password-stdin", action="store_true", help="read the camera's password from stdin")
    add.add_argument("--retention-days", type=int, default=30)
    add.add_argument("--sub-stream")
    modes = [mode.value for mode in RecordingMode]
    add.add_argument("--mode", choices=modes, default="continuous",
                     help="when `serve` records it: all the time, around motion, or only when asked")  # fmt: skip
    mode = cameras.add_parser("mode", help="set when `serve` records a camera")
    mode.add_argument("camera_id")
    mode.add_argument("mode", choices=modes)
    cameras.add_parser("list")
    remove = cameras.add_parser("remove")
    remove.add_argument("camera_id")

    record = commands.add_parser("record", help="record one camera in the foreground")
    record.add_argument("camera_id")
    record.add_argument("--duration", type=float, default=60.0)

    recordings = commands.add_parser("recordings", help="browse the archive").add_subparsers(
        dest="action", required=True
    )
    listing = recordings.add_parser("list")
    listing.add_argument("--camera")
    listing.add_argument("--since", type=parse_time)
    listing.add_argument("--until", type=parse_time)
    listing.add_argument("--limit", type=int, default=100)
    download = recordings.add_parser("download")
    download.add_argument("recording_id")
    download.add_argument("destination", type=Path)
    url = recordings.add_parser("url", help="a presigned link to one segment")
    url.add_argument("object_key")
    url.add_argument("--expires", type=int, default=3600, help="seconds, at most 7 days")

    export = commands.add_parser("export", help="one camera's footage between two moments as one MP4 file, or "
                                 "several cameras' as a signed evidence package (a folder or a .zip)")
    export.add_argument("--camera", required=True, action="append",
                        help="camera id (see `vidstream cameras list`); repeat it for an evidence package")
    export.add_argument("--evidence", action="store_true",
                        help="a signed package even for one camera (implied by several cameras or a .zip)")
    export.add_argument("--overlay", action="store_true",
                        help="package: also a copy of each MP4 with the camera name and time burnt in (re-encoded)")
    export.add_argument("--from", dest="start", required=True, type=parse_time, help="e.g. 2026-11-25T14:20:00")
    export.add_argument("--to", dest="end", required=True, type=parse_time)
    export.add_argument("destination", type=Path, help="an .mp4 file, or a folder to name one in; for a package "
                        "a new folder or a .zip")

    retention = commands.add_parser("retention").add_subparsers(dest="action", required=True)
    sweep = retention.add_parser("sweep")
    sweep.add_argument("--dry-run", action="store_true")

    checker = commands.add_parser("check", help="verify catalog, local files and archive agree")
    checker.add_argument("--repair", action="store_true", help="adopt orphans and mark missing segments")

    secret = commands.add_parser("secret", help="store or remove a password or key (keyring, never echoed)")
    secret_actions = secret.add_subparsers(dest="action", required=True)
    for action in ("set", "delete"):
        secret_actions.add_parser(action).add_argument(
            "name", help="s3-secret-key, mediamtx-api, mediamtx-reader or site:<site>:<one of those>"
        )

    demo = commands.add_parser("demo-camera", help="publish a synthetic camera to a MediaMTX URL")
    demo.add_argument("publish_url", help="e.g. rtsp://127.0.0.1:8554/demo/cam1")
    demo.add_argument("--label", default="CAM")
    demo.add_argument("--size", default="640x360")
    demo.add_argument("--fps", type=int, default=25)
    add_motion_commands(commands, parse_time)
    add_investigation_commands(commands, parse_time)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config) if args.config else load_settings()
    if args.data_dir:
        settings = dataclasses.replace(settings, data_dir=str(args.data_dir))
    return settings


_SECRET_NAME = re.compile(
    r"(s3-secret-key|mediamtx-api|mediamtx-reader|site:[a-z0-9][a-z0-9\-]{0,39}:(s3-secret-key|mediamtx-api|mediamtx-reader))"
)


def secret_command(args: argparse.Namespace) -> int:
    """The value is read without echo (or from a pipe), so it never lands in shell history or `ps`."""
    if not _SECRET_NAME.fullmatch(args.name):
        print(f"error: unknown secret name {args.name!r} (see `vidstream secret set --help`)", file=sys.stderr)
        return 2
    store = default_secret_store(settings_from(args))
    if args.action == "delete":
        store.delete(args.name)
        print(f"removed {args.name} from the {store.backend_name}")
        return 0
    value = getpass.getpass(f"{args.name}: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not value:
        print("error: the secret is empty; nothing stored", file=sys.stderr)
        return 2
    store.set(args.name, value)
    print(f"stored {args.name} in the {store.backend_name}")
    return 0


def camera_password(args: argparse.Namespace) -> str | None:
    """A camera's password never belongs on a command line (`ps`, shell history): read it from stdin
    (--password-stdin) or ask for it without echo. One left in the URL still works, with a warning."""
    try:
        in_url = parse_source_url(args.url).password
    except VidStreamError:
        return None  # add_camera says what is wrong with the URL
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if in_url:
        print("warning: the password in the URL is visible to other users (ps) and in the shell history; it is "
              "kept in the keyring, not in the catalog. Next time leave it out and type it when asked, or use "
              "--password-stdin.", file=sys.stderr)  # fmt: skip
        return None
    if urlsplit(args.url).username and sys.stdin.isatty():
        return getpass.getpass(f"password for {mask_url(args.url)}: ")
    return None


async def with_core(
    args: argparse.Namespace,
    action: Callable[[VidStreamCore, EmbeddedStack | None], Awaitable[int]],
    embedded_servers: bool = False,
) -> int:
    settings = settings_from(args)
    store = default_secret_store(settings)
    stack: EmbeddedStack | None = None
    if embedded_servers:
        stack = await asyncio.to_thread(start_embedded_stack, settings, store)
    elif settings.storage.kind == "embedded-minio":
        # Offline commands still need the local archive: it runs for the command's duration.
        stack = EmbeddedStack(mediamtx=None, minio=embedded_minio(settings, store))
        await asyncio.to_thread(stack.minio.start)  # type: ignore[union-attr]
    try:
        core = build_core(settings, store, stack)
        if embedded_servers and stack is not None:
            register_demo_cameras(core, stack)
        try:
            return await action(core, stack if embedded_servers else None)
        finally:
            await core.close()
    finally:
        if stack is not None:
            await asyncio.to_thread(stack.stop)


async def serve(core: VidStreamCore, args: argparse.Namespace, stack: EmbeddedStack | None = None) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await ensure_archive_ready(core)
    except ServerUnreachable as error:
        # Recording must not wait for the archive: segments queue on disk and upload once it answers.
        print(f"archive: {error}", flush=True)
    await core.start()
    states_file = core.work_dir / CAMERA_STATES_FILE

    watching: dict[str, asyncio.Task[None]] = {}

    async def watch_for_motion(camera_id: str, name: str) -> None:
        # Only where its settings turn detection on, or it records on motion (then its ring starts too).
        motion = await core.start_motion(camera_id, record_on_motion=not args.no_record)
        if motion.is_failure:
            print(f"{name}: motion detection: {motion.error}", flush=True)
            watching.pop(camera_id, None)  # tried again the next time the camera runs

    def tell(camera_id: str, state: CameraState) -> None:
        if state.state == "starting":
            return
        text = "ok" if state.state == "running" else state.describe()
        camera = core.catalog.camera(camera_id)
        name = camera.name if camera else camera_id
        print(f"{name}: {text}", flush=True)
        write_states(states_file, core.supervisor.states)
        if state.state == "running" and camera_id not in watching:
            watching[camera_id] = asyncio.ensure_future(watch_for_motion(camera_id, name))

    core.supervisor.on_change = tell
    # Every camera at once, each retried with back-off while it is down, for as long as it is configured.
    for camera in core.cameras():
        if camera.enabled and not camera.site:
            continuous = camera.recording_mode is RecordingMode.CONTINUOUS
            core.keep_camera(str(camera.id), record=continuous and not args.no_record)
    deadline = loop.time() + args.duration if args.duration else None
    # Workstations attached to this recorder as a site find its cameras and live paths in the archive.
    publisher = DirectoryPublisher(core.storage, core.work_dir)
    upkeep = Upkeep(core, stack.revive if stack is not None else None, publisher)

    def after_tick(health: Health) -> bool:
        write_states(states_file, health.camera_states)
        if not health.mediamtx_ok:
            log.warning("media server unreachable: %s", health.mediamtx_error)
        return deadline is None or loop.time() < deadline

    await upkeep.run(after_tick, stop, first_sweep_after_s=0.0)  # a recorder expires from the start
    await core.stop_all_recordings()
    await core.archiver.drain(timeout=30)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(10):  # tell workstations its cameras are no longer live here
            await publisher.publish(directory_of(core.cameras(), {}, {}, set()), loop.time())
    return 0


async def run_command(args: argparse.Namespace) -> int:
    if args.command == "secret":
        return secret_command(args)
    if args.command == "verify":  # reads only the export: no catalog, no servers
        return await verify_command(args)
    if args.command == "evidence-key":
        return evidence_key_command(settings_from(args).data_path)
    if args.command == "serve":
        settings = settings_from(args)
        embedded = args.demo or settings.mediamtx.embedded
        return await with_core(args, lambda core, stack: serve(core, args, stack), embedded_servers=embedded)
    if args.command == "demo-camera":
        width, height = (int(v) for v in args.size.split("x"))
        camera = SyntheticCamera(args.publish_url, Path("/dev/null"), CameraSpec(width, height, args.fps, args.label))
        camera.start()
        print(f"publishing to {mask_url(args.publish_url)}; Ctrl-C stops", flush=True)
        try:
            while camera.running:  # noqa: ASYNC110 - the camera is a child process, not an awaitable
                await asyncio.sleep(0.5)
        finally:
            camera.stop()
        return 0
    return await with_core(args, lambda core, _: offline_command(core, args))


async def offline_command(core: VidStreamCore, args: argparse.Namespace) -> int:
    if args.command == "motion":
        return motion_command(core, args)
    if args.command == "cameras":
        if args.action == "add":
            password = camera_password(args)
            added = core.add_camera(args.name, args.url, sub_stream_url=args.sub_stream,
                                    retention_days=args.retention_days, password=password)  # fmt: skip
            if added.is_failure:
                print(f"error: {added.error}", file=sys.stderr)
                return 2
            if args.mode != RecordingMode.CONTINUOUS.value:
                await core.set_recording_mode(str(added.value.id), parse_recording_mode(args.mode))
            print(added.value.id)
        elif args.action == "mode":
            camera = await core.set_recording_mode(args.camera_id, parse_recording_mode(args.mode))
            print(f"{camera.name} records {MODE_TEXT[camera.recording_mode]}")
        elif args.action == "list":
            states = read_states(core.work_dir / CAMERA_STATES_FILE)  # what a running `vidstream serve` sees
            for camera in core.cameras():
                state = states.get(str(camera.id))
                status = f"  {state.describe()}" if state is not None else ""
                print(f"{camera.id}  {camera.name:<24} {camera.source.masked():<48} keep {camera.retention.days} d"
                      f"  {camera.recording_mode.value}{status}")  # fmt: skip
        elif args.action == "remove":
            await core.remove_camera(args.camera_id)
        return 0
    if args.command == "record":
        started = await core.record(args.camera_id)
        if started.is_failure:
            print(f"error: {started.error}", file=sys.stderr)
            return 2
        await asyncio.sleep(args.duration)
        await core.stop_recording(args.camera_id)
        await core.archiver.drain(timeout=60)
        print(started.value.id)
        return 0
    if args.command == "recordings":
        return await recordings_command(core, args)
    if args.command == "export":
        if len(args.camera) > 1 or args.evidence or args.overlay or args.destination.suffix.lower() == ".zip":
            return await evidence_export_command(core, args)
        return await export_command(core, args)
    if args.command == "bookmark":
        return await bookmark_command(core, args)
    if args.command == "retention":
        sweep = await core.retention.sweep(dry_run=args.dry_run)
        verb = "would remove" if args.dry_run else "removed"
        print(f"{verb} {len(sweep.expired)} expired and {len(sweep.over_cap)} over-cap recording(s)")
        if sweep.locked:
            print(f"kept {len(sweep.locked)} recording(s) the archive still holds under object lock")
        for error in sweep.errors:
            print(f"error: {error}", file=sys.stderr)
        return 1 if sweep.errors else 0
    if args.command == "check":
        report = await check(core, repair=args.repair)
        print("\n".join(report.lines()))
        if report.refused:  # --repair changed nothing, and why is printed: a script must not read it as done
            return 1
        return 0 if report.clean or args.repair else 1
    raise AssertionError(args.command)


def so_far(core: VidStreamCore, row: RecordingRow) -> tuple[float, int]:
    """(seconds, bytes) of a recording; one still in progress counts up to now, with the segment being written
    (the catalog learns of a segment only once it is closed)."""
    if row.status != "recording":
        return row.duration, row.size
    seconds = max((utc_now() - row.started_at).total_seconds(), row.duration)
    if not row.local_dir or not Path(row.local_dir).is_dir():
        return seconds, row.size
    known = {segment.file_name for segment in core.catalog.segments(row.id)}
    writing = sum(p.stat().st_size for p in Path(row.local_dir).glob("*.mp4") if p.name not in known)
    return seconds, row.size + writing


async def recordings_command(core: VidStreamCore, args: argparse.Namespace) -> int:
    if args.action == "list":
        for row in core.catalog.recordings(args.camera, args.since, args.until, limit=args.limit):
            end = f"{row.ended_at:%Y-%m-%d %H:%M:%S}" if row.ended_at else "recording"
            seconds, size = so_far(core, row)
            print(f"{row.id}  {row.camera_name:<20} {row.started_at:%Y-%m-%d %H:%M:%S} -> {end}  "
                  f"{seconds:7.1f} s  {size / 2**20:8.1f} MiB  {row.state}")  # fmt: skip
        return 0
    if args.action == "url":
        result = await core.service.recording_url(args.object_key, args.expires)
        if result.is_failure:
            print(f"error: {result.error}", file=sys.stderr)
            return 2
        print(result.value)
        return 0
    if args.action == "download":
        from video_streaming import export

        exported = await export.download_recording(core, args.recording_id, args.destination)
        for path in exported.parts or (exported.path,):  # one file per resolution/codec the camera had
            print(path)
        return 0
    raise AssertionError(args.action)


async def export_command(core: VidStreamCore, args: argparse.Namespace) -> int:
    """Progress goes to stderr (a percentage, at most once a percent), the written file's path to stdout."""
    from video_streaming import export

    shown = -1

    def progress(done: int, total: int) -> None:  # called from download threads too; print is thread-safe
        nonlocal shown
        percent = min(100, done * 100 // max(total, 1))
        if percent != shown:
            shown = percent
            print(f"\rexporting: {percent:3d} %", end="", file=sys.stderr, flush=True)

    # The same download cache as the desktop app's for this data folder: segments fetched once serve both.
    cache = core.catalog.path.parent / "cache" / "segments"
    result = await export.export_range(core, args.camera[0], args.start, args.end, args.destination, progress,
                                       cache_dir=cache, actor="cli")  # fmt: skip
    print(file=sys.stderr)
    print(f"{result.path}  {result.duration:.1f} s  {result.size / 2**20:.1f} MiB  "
          f"{result.start:%Y-%m-%d %H:%M:%S} -> {result.end:%H:%M:%S} UTC")  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    restrict_process()
    args = build_parser().parse_args(argv)
    configure_logging(logging.DEBUG if args.verbose else logging.INFO)
    try:
        return asyncio.run(run_command(args))
    except VidStreamError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
