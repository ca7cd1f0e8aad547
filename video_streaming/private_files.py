"""Files and folders only this account can read: on a shared workstation the catalog, recordings, logs,
caches and the servers' configurations are nobody else's business."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

PRIVATE_UMASK = 0o077
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# What ffmpeg, ffprobe, MediaMTX and MinIO may see of this process's environment: where programs and
# libraries are, the locale and time zone, temporary and runtime folders, TLS trust, proxies. Nothing else: not
# the app's secrets (`VIDSTREAM_SECRET_*`, `AWS_*`, `MINIO_ROOT_*`), nor settings meant for this process or
# for another program (MediaMTX reads any `MTX_*` as configuration over the file the app writes).
_CHILD_ENVIRONMENT = frozenset({"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR",
                                "XDG_RUNTIME_DIR", "LD_LIBRARY_PATH", "SSL_CERT_FILE", "SSL_CERT_DIR"})  # fmt: skip
if os.name == "nt":  # without SystemRoot a child cannot start Winsock; MinIO wants a profile folder
    _CHILD_ENVIRONMENT |= {"SYSTEMROOT", "WINDIR", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA",
                           "COMSPEC", "PATHEXT"}  # fmt: skip
_CHILD_ENVIRONMENT_PREFIXES = ("LC_",)
_PROXIES = frozenset({"http_proxy", "https_proxy", "all_proxy", "no_proxy"})  # in either case
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def restrict_process() -> None:
    """Every file and folder this process (and its children: ffmpeg, MediaMTX, MinIO) creates from now
    on is private. Called first thing by each entry point."""
    os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700; an existing folder of ours is tightened to 0700.
    A folder owned by someone else is left as it is (the operator chose it, e.g. a shared mount)."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    info = path.stat()
    if info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(PRIVATE_DIR_MODE)
    return path


def private_dirs(paths: Iterable[Path]) -> None:
    for path in paths:
        private_dir(path)


def write_private_file(path: Path, data: bytes | str) -> None:
    """Write `path` atomically as a new inode that is 0600 from its creation: a reader who opened an
    earlier version keeps only that version, and nobody can open the new one in between."""
    payload = data.encode() if isinstance(data, str) else data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(temporary, flags, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The part of this process's environment a child needs (an allowlist: a child that logs or crashes with
    its environment must not carry the S3 key, whatever it is named), plus `extra`.
    A proxy the operator set stays for remote hosts, but loopback is exempt: ffmpeg honours `http_proxy`,
    and a presigned link to this machine's MinIO (its signature a bearer credential) must not leave it."""
    kept = {k: v for k, v in os.environ.items() if _child_may_see(k)}
    return {**kept, **_loopback_exempt_from_proxies(kept), **(extra or {})}


def _child_may_see(name: str) -> bool:
    if os.name == "nt":  # names are case-insensitive there
        name = name.upper()
    return name in _CHILD_ENVIRONMENT or name.startswith(_CHILD_ENVIRONMENT_PREFIXES) or name.lower() in _PROXIES


def _loopback_exempt_from_proxies(environment: Mapping[str, str]) -> dict[str, str]:
    exempt: list[str] = []
    for name in ("no_proxy", "NO_PROXY"):
        exempt += [host.strip() for host in environment.get(name, "").split(",") if host.strip()]
    exempt += [host for host in _LOOPBACK_HOSTS if host not in exempt]
    joined = ",".join(dict.fromkeys(exempt))
    return {"no_proxy": joined, "NO_PROXY": joined}
