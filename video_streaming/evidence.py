"""Evidence export: several cameras over one time range as one signed package (a folder or a ZIP).

Each camera's footage is one MP4 made by the range export (`export.export_range`: `-c copy`, nothing
re-encoded). `manifest.json` lists the cameras, the range, every file with its SHA-256 and size, who exported
it, when, and with which version of VidStream; `manifest.json.sig` is a detached Ed25519 signature of the
manifest's exact bytes. The package carries the public key (`signing-key.pub.pem`) and the manifest names its
fingerprint, so a verifier can pin the workstation's key; the private key never leaves this machine (a 0600
file in the data folder, created on first use). `verify_evidence` checks the signature and every file, and
names each changed, missing or added file."""

from __future__ import annotations

import asyncio
import base64
import getpass
import hashlib
import json
import os
import shutil
import socket
import stat
import tempfile
import zipfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from video_streaming.domain.camera import slugify
from video_streaming.domain.clock import require_aware, utc_now
from video_streaming.domain.errors import InvalidInput, NotFound
from video_streaming.export import CancelFlag, ExportProgress, Source, export_range
from video_streaming.private_files import PRIVATE_FILE_MODE, private_dir, write_private_file

FORMAT = "vidstream-evidence/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
PUBLIC_KEY = "signing-key.pub.pem"
KEY_FILE_NAME = "evidence-signing-key.pem"
_CHUNK = 1024 * 1024


def default_key_path(data_dir: Path) -> Path:
    return data_dir / "keys" / KEY_FILE_NAME


def signing_key(path: Path) -> Ed25519PrivateKey:
    """This workstation's evidence key: read from `path`, or made there on first use (0600 in a 0700
    folder). A key file others can read is refused: whoever reads it can sign a forged export."""
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise InvalidInput(
                f"the evidence signing key {path} can be read by other users (mode {mode:04o})",
                f"run `chmod 600 {path}`; if others may have copied it, delete it to make a new one",
            )
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise InvalidInput(f"{path} is not an Ed25519 key", "move it away; a new key is made on the next export")
        return key
    private_dir(path.parent)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())  # fmt: skip
    write_private_file(path, pem)
    return key


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """`SHA256:` and the hex SHA-256 of the raw 32-byte public key: what a verifier pins."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "SHA256:" + hashlib.sha256(raw).hexdigest()


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return f"uid {os.getuid()}"


def app_version() -> str:
    try:
        return metadata.version("vidstream")
    except metadata.PackageNotFoundError:
        return "unknown"


OverlayRenderer = Callable[[Path, Path, str, datetime, float, Callable[[float], None]], Awaitable[None]]
"""(clip, target, camera name, the clip's first moment, its seconds, progress 0..1): writes the clip re-encoded
with the name and time burnt in (adapters/overlay.py)."""


@dataclass(frozen=True)
class EvidenceExport:
    path: Path  # the folder or the ZIP written
    fingerprint: str  # of the key that signed it
    files: int
    size: int  # bytes of footage
    without_footage: list[str] = field(default_factory=list)  # camera names with nothing recorded in the range


def _sha256(handle: IO[bytes]) -> tuple[str, int]:
    """(hex SHA-256, bytes read) of the rest of `handle`."""
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


async def export_evidence(
    source: Source, camera_ids: Sequence[str], start: datetime, end: datetime, destination: str | Path,
    progress: ExportProgress | None = None, cancel_event: CancelFlag | None = None, *, key_path: Path,
    cache_dir: Path | None = None, actor: str = "operator", overlay: OverlayRenderer | None = None,
) -> EvidenceExport:  # fmt: skip
    """Export every camera of `camera_ids` between `start` and `end` into `destination` (a new or empty folder,
    or a file ending in .zip), then sign it. Progress runs from 0 to 1000 per camera, cameras one after the
    other. With an `overlay` renderer each camera also gets `<name>-overlay.mp4`, its copy re-encoded with
    the camera's name and time burnt in (listed as such; the untouched copy stays the evidence). The package
    appears under its name only once complete and signed. Raises NotFound when no camera
    recorded anything in the range, and the range export's errors (DiskFull, ExportCancelled, ...)."""
    cameras = list(dict.fromkeys(camera_ids))
    if not cameras:
        raise InvalidInput("an evidence export needs at least one camera")
    start, end = require_aware(start, "start"), require_aware(end, "end")
    if end <= start:
        raise InvalidInput("the end of the range must come after its start")
    catalog = source.catalog
    known = {str(c.id) for c in await asyncio.to_thread(catalog.cameras)}
    known |= set(await asyncio.to_thread(catalog.recorded_camera_ids))
    unknown = [c for c in cameras if c not in known]
    if unknown:
        raise InvalidInput(f"no camera {', '.join(unknown)}", "see `vidstream cameras list` for the ids")
    marks = await asyncio.to_thread(lambda: catalog.bookmarks(camera_ids=cameras, since=start, until=end))
    bookmarks = [
        {"id": str(b.id), "name": b.name, "note": b.note, "cameras": list(b.camera_ids), "start": b.start.isoformat(),
         "end": b.end.isoformat(), "by": b.created_by}
        for b in marks
    ]  # fmt: skip
    target = Path(destination)
    as_zip = target.suffix.lower() == ".zip"
    if (as_zip and target.exists()) or (not as_zip and target.exists() and any(target.iterdir())):
        raise InvalidInput(f"{target} already exists", "choose a new folder or ZIP name; nothing was overwritten")
    key = await asyncio.to_thread(signing_key, key_path)
    await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
    # A new folder of ours (0700, refused if the name exists): in a shared drop folder another user could
    # plant a link at any name we could predict, and a folder reused through it would be written into.
    staging = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix=f".{target.name}.", suffix=".partial",
                                           dir=target.parent))  # fmt: skip
    try:
        entries, without = await _export_cameras(source, cameras, start, end, staging, progress, cancel_event,
                                                 cache_dir, actor, overlay)  # fmt: skip
        if not any(entry["files"] for entry in entries):
            raise NotFound(f"none of the {len(cameras)} camera(s) recorded anything between "
                           f"{start:%Y-%m-%d %H:%M:%S} and {end:%H:%M:%S} UTC")  # fmt: skip
        signer = await asyncio.to_thread(seal, staging, entries, start, end, key, actor, bookmarks)
        await asyncio.to_thread(_publish, staging, target, as_zip)
    finally:
        await asyncio.to_thread(shutil.rmtree, staging, True)
    files = [f for entry in entries for f in entry["files"]]
    result = EvidenceExport(target, signer, len(files), sum(f["size"] for f in files), without)
    await asyncio.to_thread(
        catalog.audit, actor, "evidence-export", ",".join(cameras),
        f"{start.isoformat()} .. {end.isoformat()} -> {target} ({result.files} file(s), key {result.fingerprint})",
    )  # fmt: skip
    return result


async def _export_cameras(
    source: Source, cameras: list[str], start: datetime, end: datetime, staging: Path,
    progress: ExportProgress | None, cancel_event: CancelFlag | None, cache_dir: Path | None, actor: str,
    overlay: OverlayRenderer | None,
) -> tuple[list[dict[str, Any]], list[str]]:  # fmt: skip
    catalog = source.catalog
    entries: list[dict[str, Any]] = []
    without: list[str] = []
    for index, camera_id in enumerate(cameras):
        camera = await asyncio.to_thread(catalog.camera, camera_id)
        name = camera.name if camera else camera_id

        share = 500 if overlay else 1000  # the re-encode takes the second half of a camera's progress

        def step(done: int, total: int, base: int = index * 1000, share: int = share) -> None:
            if progress is not None:
                progress(base + done * share // max(total, 1), len(cameras) * 1000)

        def encoded(fraction: float, base: int = index * 1000 + 500) -> None:
            if progress is not None:
                progress(base + int(fraction * 500), len(cameras) * 1000)

        file_name = f"{slugify(name) or 'camera'}-{camera_id[:8]}.mp4"
        entry: dict[str, Any] = {"id": camera_id, "name": name, "files": []}
        try:
            exported = await export_range(source, camera_id, start, end, staging / file_name, step, cancel_event,
                                          cache_dir=cache_dir, actor=actor)  # fmt: skip
        except NotFound as error:
            entry["no_footage"] = str(error)
            without.append(name)
        else:
            entry["covered"] = {"start": exported.start.isoformat(), "end": exported.end.isoformat()}
            parts = exported.parts or (exported.path,)
            for part in parts:
                entry["files"].append(await asyncio.to_thread(file_entry, part))
            entry["duration"] = round(exported.duration, 3)
            if overlay is not None and len(parts) == 1:  # parts after a shape change have no known start
                burnt = exported.path.with_name(f"{exported.path.stem}-overlay.mp4")
                await overlay(exported.path, burnt, name, exported.start, exported.duration, encoded)
                entry["files"].append({**await asyncio.to_thread(file_entry, burnt), "overlay": True,
                                       "re_encoded": True, "from": exported.path.name})  # fmt: skip
        entries.append(entry)
        if progress is not None:
            progress((index + 1) * 1000, len(cameras) * 1000)
    return entries, without


def seal(
    folder: Path, cameras: list[dict[str, Any]], start: datetime, end: datetime, key: Ed25519PrivateKey, actor: str,
    bookmarks: list[dict[str, Any]] | None = None,
) -> str:
    """Write the manifest of `cameras` (their files already in `folder`) with the `bookmarks` overlapping the
    range, its signature and the public key;
    returns the key's fingerprint. The signature covers the manifest's exact bytes."""
    public = key.public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    manifest = {
        "format": FORMAT,
        "app": {"name": "vidstream", "version": app_version()},
        "exported_at": utc_now().isoformat(),
        "exported_by": {"user": _user(), "actor": actor, "host": socket.gethostname()},
        "range": {"start": start.isoformat(), "end": end.isoformat()},
        "cameras": cameras,
        "bookmarks": bookmarks or [],
        "signing_key": {"algorithm": "Ed25519", "file": PUBLIC_KEY, "fingerprint": fingerprint(public),
                        "public_key": base64.b64encode(raw).decode()},
    }  # fmt: skip
    body = (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    (folder / MANIFEST).write_bytes(body)
    (folder / SIGNATURE).write_bytes(key.sign(body))
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (folder / PUBLIC_KEY).write_bytes(pem)
    return fingerprint(public)


def file_entry(path: Path) -> dict[str, Any]:
    """What the manifest says of one file of the export."""
    with path.open("rb") as handle:
        digest, size = _sha256(handle)
    return {"path": path.name, "sha256": digest, "size": size}


def _publish(staging: Path, target: Path, as_zip: bool) -> None:
    """Move the finished package to its name in one step: a half-written export never carries it."""
    for path in staging.iterdir():
        os.chmod(path, PRIVATE_FILE_MODE)
    if not as_zip:
        if target.exists():
            target.rmdir()  # checked empty above
        os.replace(staging, target)
        return
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".zip-partial", dir=target.parent)
    partial = Path(name)  # created 0600 with O_EXCL: never a file or link someone planted
    try:
        with os.fdopen(descriptor, "w+b") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:  # MP4 does not compress
                for path in sorted(staging.iterdir()):
                    archive.write(path, path.name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)  # replaces a link planted at the name itself, never what it points to
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------------
# Verification


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # files whose SHA-256 matched
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


class _Package:
    """The files of an export, from its folder or its ZIP."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path) if path.is_file() else None
        if self._zip is None and not path.is_dir():
            raise NotFound(f"{path} is neither an export folder nor a ZIP")

    def names(self) -> set[str]:
        if self._zip is not None:
            return {info.filename for info in self._zip.infolist() if not info.is_dir()}
        return {p.name for p in self.path.iterdir() if p.is_file()}

    def open(self, name: str) -> IO[bytes]:
        return self._zip.open(name) if self._zip is not None else (self.path / name).open("rb")

    def read(self, name: str) -> bytes:
        with self.open(name) as handle:
            return handle.read()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def verify_evidence(path: Path, pinned: str | None = None) -> Verification:
    """Check an export: the manifest's signature by the key it carries (and that key's fingerprint against
    `pinned`, when given), then every file's size and SHA-256. Every problem is named; none is fatal."""
    try:
        package = _Package(path)
    except zipfile.BadZipFile:
        return Verification([f"{path} is not a readable ZIP (damaged or truncated)"])
    try:
        return _verify(package, pinned)
    except zipfile.BadZipFile as error:  # e.g. "Bad CRC-32 for file 'manifest.json'": a byte changed in place
        return Verification([f"{path}: {error}: the ZIP was changed after the export"])
    finally:
        package.close()


def _verify(package: _Package, pinned: str | None) -> Verification:
    result = Verification()
    names = package.names()
    missing = [name for name in (MANIFEST, SIGNATURE, PUBLIC_KEY) if name not in names]
    if missing:
        result.problems.append(f"not an evidence export: {', '.join(missing)} missing")
        return result
    body = package.read(MANIFEST)
    try:
        public = serialization.load_pem_public_key(package.read(PUBLIC_KEY))
    except ValueError:
        public = None
    if not isinstance(public, Ed25519PublicKey):
        result.problems.append(f"{PUBLIC_KEY} is not an Ed25519 public key")
        return result
    result.fingerprint = fingerprint(public)
    if pinned is not None and pinned.strip().lower() != result.fingerprint.lower():
        result.problems.append(f"signed by key {result.fingerprint}, not by the pinned key {pinned.strip()}")
    try:
        public.verify(package.read(SIGNATURE), body)
    except InvalidSignature:
        result.problems.append(f"the signature does not match {MANIFEST}: the manifest was changed after it "
                               "was signed, or the signature or key file was replaced")  # fmt: skip
    try:
        manifest = json.loads(body)
        cameras = manifest["cameras"]
        listed = {f["path"]: f for camera in cameras for f in camera["files"]}
        signer = manifest["signing_key"]["fingerprint"]
    except (ValueError, KeyError, TypeError):
        result.problems.append(f"{MANIFEST} is not a readable manifest")
        return result
    if signer != result.fingerprint:
        result.problems.append(f"{MANIFEST} names key {signer}, but {PUBLIC_KEY} is {result.fingerprint}")
    for name, entry in sorted(listed.items()):
        problem = _check_file(package, names, name, entry)
        if problem:
            result.problems.append(problem)
        else:
            result.checked.append(name)
    extra = sorted(names - set(listed) - {MANIFEST, SIGNATURE, PUBLIC_KEY})
    result.problems += [f"{name}: not part of the signed export (added later)" for name in extra]
    return result


def _check_file(package: _Package, names: set[str], name: str, entry: dict[str, Any]) -> str:
    if not isinstance(name, str) or "/" in name or "\\" in name or name in {"", ".", ".."}:
        return f"{name!r}: not a file name of an export"
    if name not in names:
        return f"{name}: missing"
    try:
        with package.open(name) as handle:
            digest, size = _sha256(handle)
    except zipfile.BadZipFile as error:  # the ZIP's own checksum of the member failed first
        return f"{name}: changed inside the ZIP after the export ({error})"
    if size != entry.get("size"):
        return f"{name}: {size} bytes, the manifest says {entry.get('size')}: changed after the export"
    if digest != entry.get("sha256"):
        return f"{name}: its SHA-256 differs from the manifest's: changed after the export"
    return ""
