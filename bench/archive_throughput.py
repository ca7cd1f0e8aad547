"""Archive throughput to a local MinIO, in one run: the Archiver against a raw boto3 `upload_file` loop and
against `aws s3 cp --recursive`, for 60-s segments of two sizes, one camera and four cameras at once.

- raw boto3: `client.upload_file` per file with boto3's defaults (TransferConfig, checksums, signing); one
  thread per camera, each uploading its camera's segments one after another.
- Archiver: what the app runs (catalog queue -> S3Storage upload -> receipt check -> catalog), with as many
  uploads at a time as there are cameras, so its parallelism is the baseline's.
- aws s3 cp: `aws s3 cp --recursive` of each camera's folder, one process per camera, from the bench's own
  venv (tools/setup_bench_venv.sh; never installed at run time). Its own default is 10 requests at a time;
  its process start is part of its time (and reported on its own).

The boto3 client, and the Archiver's storage and event loop, are made once and warmed up by one untimed
upload, as they live in the app. Passes are interleaved and the order of the methods turns each pass, so
drift in a loaded machine hits all methods alike; every pass also records the load average. Objects are
deleted between runs.

Besides MB/s, each run notes the client's CPU time per MB (this process's threads, or the aws processes):
what the upload path itself costs, which other load on the machine changes far less than it changes MB/s.
MinIO's own CPU is not in it."""

from __future__ import annotations

import asyncio
import os
import resource
import struct
import subprocess
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import BenchContext, percentile, ratio, summary

BENCH_VENV = Path(os.environ.get("VIDSTREAM_CACHE", Path.home() / ".cache" / "vidstream")) / "bench-venv"
MB = 1_000_000
# (label, bytes per 60-s segment, segments per camera with 1 camera, with 4 cameras)
SIZES = {
    "360p": ("640x360@25 H.264, 60-s segments of 0.75 MB", 750_000, 24, 8),
    "1080p": ("1080p-size 60-s segments of 12 MB", 12_000_000, 5, 2),
}
CAMERAS = (1, 4)
METHODS = {
    "boto3": "raw boto3 upload_file loop, one thread per camera",
    "archiver": "Archiver (ours: verified + catalog), one upload per camera at a time",
    "aws_cli": "aws s3 cp --recursive, one process per camera",
}


def find_awscli() -> tuple[Path | None, str]:
    aws = BENCH_VENV / "bin" / "aws"
    if aws.exists():
        return aws, ""
    return None, f"no aws CLI in {BENCH_VENV}: run `make bench` or tools/setup_bench_venv.sh once"


def fragmented_mp4(size: int, fragments: int = 60) -> bytes:
    """`size` bytes shaped like a recorded 60-s segment: ftyp, moov, then one moof/mdat pair per second (the
    recorder's GOP), the media incompressible like video. The archiver's damage check walks these boxes as it
    does a real segment's, and finds nothing wrong."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    head = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso6mp41") + box(b"moov", os.urandom(1200))
    media = size - len(head) - fragments * (8 + 400 + 8)
    if media < fragments:
        raise ValueError(f"{size} bytes is too small for {fragments} fragments")
    chunks = [media // fragments + (1 if n < media % fragments else 0) for n in range(fragments)]
    body = b"".join(box(b"moof", os.urandom(400)) + box(b"mdat", os.urandom(n)) for n in chunks)
    return head + body


def make_camera_files(directory: Path, cameras: int, count: int, size: int) -> list[list[Path]]:
    """Per camera, `count` segments of `size` bytes named like recorded segments."""
    per_camera = []
    for camera in range(cameras):
        folder = directory / f"cam{camera}"
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for index in range(count):
            path = folder / f"20260101T{index // 60:02d}{index % 60:02d}00Z-0.mp4"
            path.write_bytes(fragmented_mp4(size))
            files.append(path)
        per_camera.append(files)
    return per_camera


class Methods:
    def __init__(self, minio: Any, bucket: str, aws: Path | None, work: Path) -> None:
        import boto3

        self.minio, self.bucket, self.aws, self.work = minio, bucket, aws, work
        self.boto = boto3.client(
            "s3",
            endpoint_url=minio.endpoint_url,
            aws_access_key_id=minio.credentials.access_key,
            aws_secret_access_key=minio.credentials.secret_key,
            region_name="us-east-1",
        )
        # Like the raw boto3 client above, and like the app, the Archiver's storage and event loop (with its
        # worker threads) live across runs: a run measures uploads, not connecting or starting threads.
        from video_streaming.adapters.s3 import S3Storage

        creds = minio.credentials
        self.storage = S3Storage(minio.endpoint_url, bucket, creds.access_key, creds.secret_key)
        self.runner = asyncio.Runner()

    def close(self) -> None:
        self.runner.close()

    def warm_up(self, path: Path) -> None:
        """One untimed upload each way, so no timed run pays for connecting (or the bucket's lock lookup)."""
        self.boto.upload_file(str(path), self.bucket, "warm-up/boto3")
        self.runner.run(self.storage.upload(str(path), "warm-up/archiver"))
        self.clear("warm-up/")

    def clear(self, prefix: str) -> None:
        paginator = self.boto.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                self.boto.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})

    # Each returns (elapsed seconds, client CPU seconds, per-file seconds or []), timing only the uploads
    # (not the making of a catalog or a client).

    def boto3_loop(self, cameras: list[list[Path]], prefix: str) -> tuple[float, float, list[float]]:
        per_file: list[float] = []
        lock = threading.Lock()

        def camera(index: int, files: list[Path]) -> None:
            for path in files:
                started = time.perf_counter()
                self.boto.upload_file(str(path), self.bucket, f"{prefix}/cam{index}/{path.name}")
                with lock:
                    per_file.append(time.perf_counter() - started)

        threads = [threading.Thread(target=camera, args=(i, f)) for i, f in enumerate(cameras)]
        started, cpu = time.perf_counter(), client_cpu_seconds()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started, client_cpu_seconds() - cpu, per_file

    def archiver(self, cameras: list[list[Path]], prefix: str) -> tuple[float, float, list[float]]:
        from video_streaming.archiver import Archiver
        from video_streaming.catalog import Catalog

        db = self.work / f"catalog-{uuid.uuid4().hex[:8]}.sqlite3"
        catalog = Catalog(db)
        begin = datetime.now(UTC)
        for index, files in enumerate(cameras):
            recording_id = str(uuid.uuid4())
            for n, path in enumerate(files):
                catalog.add_segment(recording_id, f"bench-camera-{index}", path, f"{prefix}/cam{index}/{path.name}",
                                    begin + timedelta(minutes=n), 60.0, path.stat().st_size)  # fmt: skip
        archiver = Archiver(catalog, self.storage, keep_local=True, concurrency=len(cameras))
        done: list[float] = []
        archiver.on_archived = lambda _segment: done.append(time.perf_counter())

        async def go() -> bool:
            archiver.start()
            try:
                return await archiver.drain(timeout=300)
            finally:
                await archiver.stop()

        started, cpu = time.perf_counter(), client_cpu_seconds()
        drained = self.runner.run(go())
        elapsed, cpu = time.perf_counter() - started, client_cpu_seconds() - cpu
        catalog.close()
        db.unlink(missing_ok=True)
        if not drained:
            raise RuntimeError("the archiver did not drain within 300 s")
        # One camera uploads one segment at a time: the gaps between verified segments are per-file times.
        per_file = [b - a for a, b in zip([started, *done], done, strict=False)] if len(cameras) == 1 else []
        return elapsed, cpu, per_file

    def aws_env(self) -> dict[str, str]:
        creds = self.minio.credentials
        return {**os.environ, "AWS_ACCESS_KEY_ID": creds.access_key, "AWS_SECRET_ACCESS_KEY": creds.secret_key,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}  # fmt: skip

    def aws_cli(self, cameras: list[list[Path]], prefix: str) -> tuple[float, float, list[float]]:
        assert self.aws is not None
        env = self.aws_env()
        started, cpu = time.perf_counter(), client_cpu_seconds()
        commands = [
            [str(self.aws), "s3", "cp", "--recursive", "--only-show-errors", "--endpoint-url", self.minio.endpoint_url,
             str(files[0].parent), f"s3://{self.bucket}/{prefix}/cam{index}/"]
            for index, files in enumerate(cameras)
        ]  # fmt: skip
        processes = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for c in commands]
        for process in processes:
            _, errors = process.communicate(timeout=300)
            if process.returncode != 0:
                raise RuntimeError(f"aws s3 cp failed: {errors.decode(errors='replace')[-500:]}")
        return time.perf_counter() - started, client_cpu_seconds() - cpu, []

    def aws_start_seconds(self) -> list[float]:
        """How long the CLI takes to start and do nothing (`aws --version`): part of every aws s3 cp run."""
        assert self.aws is not None
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([str(self.aws), "--version"], env=self.aws_env(), capture_output=True, timeout=60,
                           check=True)  # fmt: skip
            times.append(time.perf_counter() - started)
        return times


def throughput(ctx: BenchContext, minio: Any, work: Path) -> dict[str, Any]:
    bucket = "bench-archive"
    aws, aws_note = find_awscli()
    methods = Methods(minio, bucket, aws, work)
    methods.boto.create_bucket(Bucket=bucket)
    runners = {"boto3": methods.boto3_loop, "archiver": methods.archiver, "aws_cli": methods.aws_cli}
    active = [m for m in METHODS if m != "aws_cli" or aws is not None]
    passes = 3 if ctx.quick else 5
    cases: dict[str, Any] = {}
    files: dict[str, list[list[Path]]] = {}
    for size_key, (label, size, one, four) in SIZES.items():
        for cameras in CAMERAS:
            key = f"{size_key}-{cameras}cam"
            count = one if cameras == 1 else four
            files[key] = make_camera_files(work / "files" / key, cameras, count, size)
            cases[key] = {
                "label": f"{label}, {cameras} camera{'s' if cameras > 1 else ''} x {count}",
                "cameras": cameras, "files_per_camera": count, "bytes_per_file": size, "passes": passes,
                "methods": {m: {"label": METHODS[m], "runs": [], "per_file_s": []} for m in METHODS},
                "load_avg_1m": [],
            }  # fmt: skip
            if aws is None:
                cases[key]["methods"]["aws_cli"]["skipped"] = aws_note
    methods.warm_up(files[next(iter(files))][0][0])
    for index in range(passes):
        order = active[index % len(active) :] + active[: index % len(active)]
        for key, case in cases.items():
            case["load_avg_1m"].append(os.getloadavg()[0])
            total = case["cameras"] * case["files_per_camera"] * case["bytes_per_file"]
            for method in order:
                prefix = f"{key}/{method}/{index}"
                elapsed, cpu, per_file = runners[method](files[key], prefix)
                cpu_ms_per_mb = cpu * 1000 / (total / MB)
                case["methods"][method]["runs"].append(
                    {"seconds": elapsed, "mb_per_s": total / MB / elapsed, "cpu_ms_per_mb": cpu_ms_per_mb}
                )
                case["methods"][method]["per_file_s"] += per_file
                methods.clear(prefix)
        ctx.say(f"archive: pass {index + 1}/{passes}: " + "; ".join(
            f"{key} " + " ".join(f"{m} {c['methods'][m]['runs'][-1]['mb_per_s']:.0f}" for m in active)
            for key, c in cases.items()) + " MB/s")  # fmt: skip
    for case in cases.values():
        finish(case)
    data: dict[str, Any] = {"cases": cases, "aws_cli": str(aws) if aws else None, "aws_cli_note": aws_note}
    if aws is not None:
        data["aws_cli_start_ms"] = summary([s * 1000 for s in methods.aws_start_seconds()])
    methods.close()
    return data


def client_cpu_seconds() -> float:
    """User + system CPU of this process (all its threads) and of its finished children (the aws CLI)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def finish(case: dict[str, Any]) -> None:
    """Summaries per method, and the archiver's ratios: of the medians, and paired within each pass."""
    methods = case["methods"]
    for method in methods.values():
        speeds = [r["mb_per_s"] for r in method["runs"]]
        method["summary"] = {**summary(speeds), "p5": percentile(speeds, 5)}
        method["cpu_ms_per_mb"] = summary([r["cpu_ms_per_mb"] for r in method["runs"]])
        method["per_file_ms"] = summary([s * 1000 for s in method.pop("per_file_s")])
    case["ratios"] = {}
    case["paired_ratios"] = {}
    ours = methods["archiver"]["runs"]
    for baseline in ("boto3", "aws_cli"):
        theirs = methods[baseline]["runs"]
        if not theirs or not ours:
            continue
        case["ratios"][f"archiver/{baseline}"] = ratio(methods["archiver"]["summary"]["median"],
                                                       methods[baseline]["summary"]["median"])  # fmt: skip
        paired = [a["mb_per_s"] / b["mb_per_s"] for a, b in zip(ours, theirs, strict=True)]
        case["paired_ratios"][f"archiver/{baseline}"] = {**summary(paired), "p5": percentile(paired, 5)}
    case["load_avg_1m"] = summary(case["load_avg_1m"])
