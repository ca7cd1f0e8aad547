"""What every benchmark shares: statistics, machine facts, CPU accounting from /proc, result files and the
servers (MediaMTX, MinIO) started on loopback and always stopped."""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
REPO_DIR = BENCH_DIR.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------------
# Statistics


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def summary(values: Sequence[float]) -> dict[str, float]:
    values = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not values:
        return {"n": 0, "median": math.nan, "p95": math.nan, "p99": math.nan, "min": math.nan, "max": math.nan}
    return {
        "n": len(values),
        "median": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "min": min(values),
        "max": max(values),
        "mean": sum(values) / len(values),
    }


def ratio(numerator: float, denominator: float) -> float:
    if denominator is None or numerator is None or denominator == 0 or math.isnan(denominator):
        return math.nan
    return float(numerator) / float(denominator)


def clean(value: Any) -> Any:
    """JSON-safe copy: NaN/inf become None, tuples lists, Paths strings."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 4)
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


# ---------------------------------------------------------------------------------------------------
# The machine


def _first_line(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else ""


def machine_info() -> dict[str, Any]:
    cpu_model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_kib = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
    from video_streaming.runtime.binaries import find_binary

    versions: dict[str, str] = {
        "python": sys.version.split()[0],
        "ffmpeg": _first_line(["ffmpeg", "-hide_banner", "-version"]),
        "vlc": _first_line(["dpkg-query", "-W", "-f=${Version}", "libvlc5"]),
    }
    for name in ("mediamtx", "minio"):
        with contextlib.suppress(Exception):
            versions[name] = Path(os.path.realpath(find_binary(name))).name.removeprefix(f"{name}-")
    with contextlib.suppress(Exception):
        import vlc

        versions["python-vlc"] = str(vlc.__version__)
    with contextlib.suppress(Exception):
        import PySide6

        versions["pyside6"] = PySide6.__version__
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "host_os": f"{platform.system()} {platform.release()}",
        "distro": _first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "cpu": cpu_model,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 2**20, 1),
        "load_avg_at_start": os.getloadavg(),
        "display": os.environ.get("DISPLAY", ""),
        "versions": versions,
    }


# ---------------------------------------------------------------------------------------------------
# CPU accounting


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of one process (all its threads), from /proc/<pid>/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree_pids(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/*/stat parent links)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = (entry / "stat").read_text()
            parent = int(text[text.rindex(")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def system_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, summed over cores."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    return (total - idle) / CLK_TCK, total / CLK_TCK


def find_x_server_pid(display: str | None = None) -> int | None:
    """The Xvfb (or Xorg) serving DISPLAY, to charge its drawing work to the players that cause it."""
    display = display or os.environ.get("DISPLAY", "")
    number = display.split(":")[-1].split(".")[0] if display else ""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if (
                argv
                and Path(argv[0].decode(errors="replace")).name in ("Xvfb", "Xorg")
                and (f":{number}".encode() in argv)
            ):
                return int(entry.name)
    return None


@dataclass
class CpuMeter:
    """CPU used over a window by named groups of processes, as a fraction of one core (1.0 = a core)."""

    groups: dict[str, list[int]]
    _start: dict[int, float] = field(default_factory=dict)
    _t0: float = 0.0
    _sys0: tuple[float, float] = (0.0, 0.0)

    def start(self) -> None:
        self._t0 = time.monotonic()
        self._sys0 = system_cpu_seconds()
        self._start = {}
        for pids in self.groups.values():
            for pid in pids:
                with contextlib.suppress(OSError):
                    self._start[pid] = process_cpu_seconds(pid)

    def stop(self) -> dict[str, float]:
        elapsed = max(time.monotonic() - self._t0, 1e-6)
        result: dict[str, float] = {}
        for name, pids in self.groups.items():
            used = 0.0
            for pid in pids:
                with contextlib.suppress(OSError):
                    used += process_cpu_seconds(pid) - self._start.get(pid, 0.0)
            result[name] = used / elapsed
        busy1, total1 = system_cpu_seconds()
        busy0, total0 = self._sys0
        result["machine_busy_cores"] = (busy1 - busy0) / elapsed
        result["machine_busy_fraction"] = (busy1 - busy0) / max(total1 - total0, 1e-6)
        result["window_s"] = elapsed
        return result


# ---------------------------------------------------------------------------------------------------
# Running a benchmark


@dataclass
class BenchContext:
    quick: bool
    work_dir: Path
    results_dir: Path = RESULTS_DIR
    log: list[str] = field(default_factory=list)

    def say(self, message: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        line = f"[{stamp}] {message}"
        print(line, flush=True)
        self.log.append(line)

    def tmp(self, name: str) -> Path:
        path = self.work_dir / name
        path.mkdir(parents=True, exist_ok=True)
        return path


def write_result(name: str, data: dict[str, Any], results_dir: Path = RESULTS_DIR) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    path.write_text(json.dumps(clean(data), indent=1) + "\n")
    return path


def load_result(name: str, results_dir: Path = RESULTS_DIR) -> dict[str, Any] | None:
    path = results_dir / f"{name}.json"
    if not path.exists():
        return None
    return dict(json.loads(path.read_text()))


@contextlib.contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def mediamtx_server(work_dir: Path) -> Iterator[Any]:
    from video_streaming.runtime.mediamtx_server import MediaMTXServer

    server = MediaMTXServer(work_dir / "mediamtx", anonymous_loopback=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def minio_server(work_dir: Path) -> Iterator[Any]:
    from video_streaming.runtime.minio_server import MinIOServer

    server = MinIOServer(work_dir / "minio")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def wait_path_ready(server: Any, path: str, timeout: float = 15.0) -> None:
    import httpx

    endpoints = server.endpoints
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.get(
                f"{endpoints.api_url}/v3/paths/get/{path}",
                auth=(endpoints.api_user, endpoints.api_password),
                timeout=2,
            )
            if response.status_code == 200 and response.json().get("ready"):
                return
        time.sleep(0.05)
    raise TimeoutError(f"MediaMTX path {path} not ready after {timeout:.0f} s")


def python_cmd(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]
