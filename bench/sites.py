"""9. Multi-site: what a workstation attached to remote recorder sites pays per poll, per directory read and
per archive refresh.

Setup on loopback: N sites (each its own MediaMTX, a synthetic camera and a recorder core that records a
few seconds and publishes its camera directory), all archiving into folders of one MinIO bucket, and a
workstation core attached to all of them. Each operation is timed through VidStreamCore and, side by side
in the same run, as the bare requests it cannot do without: raw httpx `GET /v3/paths/list` to every
MediaMTX (poll), raw boto3 `get_object` of every directory (site sync), raw boto3 `list_objects_v2` of every
archive folder (refresh). The ratio is what our parsing, validation, catalog work and routing add.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import boto3
import httpx
from botocore.config import Config

from bench.common import BenchContext, mediamtx_server, minio_server, ratio, summary, wait_path_ready

NAME = "sites"
TITLE = "Multi-site workstation"


async def timed(operation: Callable[[], Awaitable[Any]], repeats: int) -> list[float]:
    await operation()  # warm connections
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await operation()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def start_site(work: Path, index: int, minio: Any, bucket: str) -> dict[str, Any]:
    from video_streaming.adapters.s3 import S3Storage
    from video_streaming.adapters.site_storage import PrefixedStorage
    from video_streaming.bootstrap import EmbeddedStack, build_core
    from video_streaming.config import RecordingSettings, Settings
    from video_streaming.runtime.mediamtx_server import MediaMTXServer
    from video_streaming.runtime.synthetic_camera import CameraSpec, SyntheticCamera
    from video_streaming.secrets import SecretStore
    from video_streaming.sites import DirectoryPublisher

    root = work / f"site-{index}"
    server = MediaMTXServer(root / "mediamtx", anonymous_loopback=True)
    server.start()
    camera = SyntheticCamera(server.endpoints.rtsp_url("cam1"), root / "camera.log",
                             CameraSpec(width=320, height=180, fps=15, label=f"Site {index}", audio=False))  # fmt: skip
    camera.start()
    await asyncio.to_thread(wait_path_ready, server, "cam1")
    credentials = minio.credentials
    archive = PrefixedStorage(S3Storage(minio.endpoint_url, bucket, credentials.access_key, credentials.secret_key),
                              f"site-{index}/")  # fmt: skip
    settings = Settings(recording=RecordingSettings(segment_seconds=2, min_free_mb=1), data_dir=str(root / "data"),
                        demo_cameras=0)  # fmt: skip
    recorder = build_core(settings, SecretStore(root / "secrets.json", use_keyring=False),
                          EmbeddedStack(server, None), storage=archive)  # fmt: skip
    await recorder.start()
    camera_id = str(recorder.add_camera(f"Camera {index}", server.endpoints.rtsp_url("cam1")).value.id)
    await recorder.record(camera_id)
    await asyncio.sleep(4)
    await recorder.stop_recording(camera_id)
    await recorder.archiver.drain(timeout=30)
    await DirectoryPublisher(archive, root / "run").publish(recorder.directory(), time.monotonic())
    return {"server": server, "camera": camera, "recorder": recorder, "camera_id": camera_id}


def workstation(work: Path, own: Any, minio: Any, bucket: str, sites: list[dict[str, Any]]) -> Any:
    from video_streaming.adapters.s3 import S3Storage
    from video_streaming.adapters.site_storage import PrefixedStorage
    from video_streaming.bootstrap import EmbeddedStack, build_core, build_site, site_secret_name
    from video_streaming.config import RecordingSettings, Settings, SiteSettings
    from video_streaming.secrets import SecretStore

    store = SecretStore(work / "workstation-secrets.json", use_keyring=False)
    configured = []
    for index, site in enumerate(sites):
        endpoints = site["server"].endpoints
        settings = SiteSettings(
            name=f"Site {index}", api_url=endpoints.api_url, api_user=endpoints.api_user,
            srt_port=endpoints.srt_port, rtsp_port=endpoints.rtsp_port, s3_endpoint_url=minio.endpoint_url,
            bucket=bucket, prefix=f"site-{index}/", access_key=minio.credentials.access_key,
        )  # fmt: skip
        store.set(site_secret_name(settings, "mediamtx-api"), endpoints.api_password)
        store.set(site_secret_name(settings, "s3-secret-key"), minio.credentials.secret_key)
        configured.append(settings)
    settings = Settings(recording=RecordingSettings(segment_seconds=2, min_free_mb=1), demo_cameras=0,
                        data_dir=str(work / "workstation"), sites=tuple(configured))  # fmt: skip
    own_archive = PrefixedStorage(S3Storage(minio.endpoint_url, bucket, minio.credentials.access_key,
                                            minio.credentials.secret_key), "workstation/")  # fmt: skip
    return build_core(settings, store, EmbeddedStack(own, None), storage=own_archive,
                      sites=[build_site(site, store) for site in configured])  # fmt: skip


async def measure(work: Path, own: Any, minio: Any, site_count: int, repeats: int) -> dict[str, Any]:
    bucket = "shared"
    s3 = boto3.client("s3", endpoint_url=minio.endpoint_url, aws_access_key_id=minio.credentials.access_key,
                      aws_secret_access_key=minio.credentials.secret_key, region_name="us-east-1",
                      config=Config(connect_timeout=3, read_timeout=10))  # fmt: skip
    s3.create_bucket(Bucket=bucket)
    sites = [await start_site(work, index, minio, bucket) for index in range(site_count)]
    core = workstation(work, own, minio, bucket, sites)
    await core.start()
    servers = [own, *(site["server"] for site in sites)]
    clients = [httpx.AsyncClient(base_url=s.endpoints.api_url, auth=(s.endpoints.api_user, s.endpoints.api_password),
                                 timeout=5) for s in servers]  # fmt: skip
    try:
        assert await core.sync_sites() == {}, "a site could not be read"
        for site in sites:
            assert (await core.start_camera(site["camera_id"])).is_success

        async def raw_poll() -> None:
            for client in clients:  # what poll() cannot avoid: one list call per MediaMTX
                (await client.get("/v3/paths/list")).raise_for_status()

        async def raw_directories() -> None:
            for index in range(site_count):
                await asyncio.to_thread(
                    lambda i=index: s3.get_object(Bucket=bucket, Key=f"site-{i}/_vidstream/directory.json")[
                        "Body"
                    ].read()
                )

        async def raw_listings() -> None:
            for prefix in ["workstation/", *(f"site-{i}/" for i in range(site_count))]:
                await asyncio.to_thread(s3.list_objects_v2, Bucket=bucket, Prefix=prefix)

        samples = {
            "poll": await timed(core.poll, repeats),
            "raw_poll": await timed(raw_poll, repeats),
            "sync_sites": await timed(core.sync_sites, repeats),
            "raw_directories": await timed(raw_directories, repeats),
            "refresh_archive": await timed(core.refresh_archive, max(repeats // 3, 5)),
            "raw_listings": await timed(raw_listings, max(repeats // 3, 5)),
        }
        health = await core.poll()
        recordings = len(core.catalog.recordings(limit=1000))
    finally:
        for client in clients:
            await client.aclose()
        await core.close()
        for site in sites:
            await site["recorder"].close()
            site["camera"].stop()
            site["server"].stop()
    stats = {name: summary(values) for name, values in samples.items()}
    return {
        "sites": site_count,
        "cameras_online": health.cameras_online,
        "recordings_merged": recordings,
        "stats": stats,
        "samples": samples,
        "ratios": {
            "poll": ratio(stats["poll"]["median"], stats["raw_poll"]["median"]),
            "sync_sites": ratio(stats["sync_sites"]["median"], stats["raw_directories"]["median"]),
            "refresh_archive": ratio(stats["refresh_archive"]["median"], stats["raw_listings"]["median"]),
        },
    }


def run(ctx: BenchContext) -> dict[str, Any]:
    counts = (1, 4) if ctx.quick else (1, 4, 8)
    repeats = 15 if ctx.quick else 40
    runs = {}
    for count in counts:
        ctx.say(f"sites: {count} site(s)")
        work = ctx.tmp(f"sites-{count}")
        with mediamtx_server(work / "own") as own, minio_server(work) as minio:
            result = asyncio.run(measure(work, own, minio, count, repeats))
        runs[str(count)] = result
        ctx.say(f"  poll {result['stats']['poll']['median']:.1f} ms (raw {result['stats']['raw_poll']['median']:.1f}); "
                f"sync {result['stats']['sync_sites']['median']:.1f} ms; "
                f"refresh {result['stats']['refresh_archive']['median']:.1f} ms")  # fmt: skip
    return {"parameters": {"counts": list(counts), "repeats": repeats}, "counts": list(counts), "runs": runs}


ROWS = (
    ("poll", "raw_poll", "poll() (own MediaMTX + every site)", "one list call per MediaMTX (httpx)"),
    ("sync_sites", "raw_directories", "sync_sites() (read + check every directory)", "get_object per directory"),
    ("refresh_archive", "raw_listings", "refresh_archive() (list + merge)", "list_objects_v2 per folder"),
)


def report(data: dict[str, Any], plots: Path) -> str:
    lines = [
        "| sites | operation | ours p50 / p95 ms | baseline | baseline p50 / p95 ms | ratio |",
        "|---:|---|---:|---|---:|---:|",
    ]
    for count in data["counts"]:
        run = data["runs"][str(count)]
        for ours, raw, label, baseline in ROWS:
            mine, base = run["stats"][ours], run["stats"][raw]
            lines.append(
                f"| {count} | {label} | {mine['median']:.1f} / {mine['p95']:.1f} | {baseline} | "
                f"{base['median']:.1f} / {base['p95']:.1f} | {run['ratios'][ours]:.2f} |"
            )
    return "\n".join(lines) + "\n"


def findings(data: dict[str, Any]) -> str:
    biggest = data["runs"][str(max(data["counts"]))]
    return (
        f"- With {biggest['sites']} sites every camera was online ({biggest['cameras_online']}) and "
        f"{biggest['recordings_merged']} recordings merged from their archives.\n"
        f"- Sites are polled concurrently, so poll() with {biggest['sites']} sites costs "
        f"{biggest['ratios']['poll']:.2f}x the bare list calls made one after another.\n"
        f"- sync_sites() is {biggest['ratios']['sync_sites']:.1f}x a bare get_object: each directory costs a HEAD "
        "(size limit) and a checksum-verified download before it is parsed. A poll runs it only every 30 s "
        "(5 s while a site is changing or down), so most polls cost what the table shows for poll().\n"
    )
