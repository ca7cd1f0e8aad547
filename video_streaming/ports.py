"""The three ports of the seed API, and the wider ones the application needs (each a subclass of a seed
port where it grows one). Adapters implement them; tests may fake them."""

from __future__ import annotations

import abc
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from video_streaming.domain.camera import SecretLookup, SourceUrl
from video_streaming.domain.errors import VidStreamError
from video_streaming.domain.onvif import (
    DeviceAddress,
    DiscoveredDevice,
    OnvifDevice,
    PtzPreset,
    PtzVelocity,
)
from video_streaming.recorder_events import EventSink

ProgressCallback = Callable[[int], None]
"""Called with the number of bytes transferred since the previous call (boto3's convention)."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    etag: str
    last_modified: datetime | None = None
    metadata: dict[str, str] | None = None
    sha256: str = ""  # recorded by the upload (hex); "" when unknown (a listing, or a store that keeps none)


class MediaMTXClient(abc.ABC):
    """Provisions camera sources as paths on a MediaMTX server."""

    @abc.abstractmethod
    async def start_stream(self, stream_id: str, source_url: str) -> bool:
        """Add a path named `stream_id` pulling from `source_url`. True when the path exists."""

    @abc.abstractmethod
    async def stop_stream(self, stream_id: str) -> bool:
        """Remove the path. True when it was removed, False when it did not exist."""

    @abc.abstractmethod
    async def get_stream_status(self, stream_id: str) -> dict[str, Any]:
        """Live state of the path: at least `ready` (bool), `tracks`, `bytes_received`, `readers`."""

    # Resolves the stored secrets a source names (the composition root gives the secret store's `get`).
    secrets: SecretLookup | None = None

    async def start_source(self, stream_id: str, source: SourceUrl) -> bool:
        """`start_stream` for a source whose login travels apart from its address (a value, or the name of
        a stored secret): the app's own streams call this, so the login meets the address only here, at the
        edge of the process."""
        return await self.start_stream(stream_id, source.with_credentials(self.secrets))


class FFmpegService(abc.ABC):
    """Records a live source into segment files."""

    @abc.abstractmethod
    async def start_recording(self, recording_id: uuid.UUID, source_url: str, output_path: str) -> bool:
        """Start recording `source_url` into the folder `output_path`. True once bytes reach the disk."""

    @abc.abstractmethod
    async def stop_recording(self, recording_id: uuid.UUID) -> bool:
        """Stop gracefully so the last segment is closed. False when no such recording runs."""


@dataclass(frozen=True)
class Diagnosis:
    """Why a camera gives no media, for the operator."""

    reason: str  # what is wrong
    hint: str  # what to do about it


class SourceDiagnostics(abc.ABC):
    """Why a camera gives no media, where the media server's API says only "not ready"."""

    @abc.abstractmethod
    def source_error(self, stream_id: str) -> str | None:
        """Why the server cannot pull the path's source right now, in words; None when no reason is known."""

    @abc.abstractmethod
    async def refusal(self, source: SourceUrl) -> Diagnosis | None:
        """The camera's own definite no (401, 403, 404), asked while a start waits; None otherwise."""

    @abc.abstractmethod
    async def explain_not_ready(
        self, source: SourceUrl, timeout: float = 2.0, path_name: str | None = None
    ) -> Diagnosis | None:
        """After a start gave up: what is wrong with the source, found by asking it (and the server)."""


class NoDiagnostics(SourceDiagnostics):
    """For a media server that tells nothing beyond "not ready" (the seed's bare port)."""

    def source_error(self, stream_id: str) -> str | None:
        return None

    async def refusal(self, source: SourceUrl) -> Diagnosis | None:
        return None

    async def explain_not_ready(
        self, source: SourceUrl, timeout: float = 2.0, path_name: str | None = None
    ) -> Diagnosis | None:
        return None


class MediaServer(MediaMTXClient, SourceDiagnostics):
    """The media server as the application needs it: the seed's three calls, one listing of every path,
    and the reasons a source is not ready (MediaMTX's API says only "not ready")."""

    @abc.abstractmethod
    async def list_paths(self) -> dict[str, dict[str, Any]]:
        """Every path's summary (as `get_stream_status`), by path name, in as few calls as possible."""

    @abc.abstractmethod
    async def reachability_problem(self, source_url: str) -> Diagnosis | None:
        """What makes a camera unreachable (its host does not resolve, its port refuses), found in seconds;
        None when it answers. Only the address is needed: pass the URL without its login."""

    @abc.abstractmethod
    async def aclose(self) -> None:
        """Release the connections to the server."""


class SegmentRecorder(FFmpegService):
    """The seed's recorder, as the recording lifecycle drives it: it records into segment files of
    `segment_seconds` and tells what happens (recorder_events) to `on_event`."""

    segment_seconds: int
    on_event: EventSink | None

    @abc.abstractmethod
    async def close(self) -> None:
        """Stop every recording gracefully (each last segment closed)."""


StreamShape = tuple[tuple[str, ...], ...]
"""Per stream of a media file: its kind, codec, profile and picture size or sample format."""


class MediaFiles(abc.ABC):
    """Recorded MP4 files read and joined (ffprobe and ffmpeg behind it): what export and the recording
    lifecycle ask of a file without knowing the tools."""

    @abc.abstractmethod
    async def duration(self, path: Path) -> float:
        """Seconds of a (possibly partial) file; 0.0 when it cannot be read."""

    @abc.abstractmethod
    async def shape(self, path: Path) -> StreamShape | None:
        """Its streams' shapes; None when it cannot be read. Files of one shape can share one MP4 (one sample
        entry per track)."""

    @abc.abstractmethod
    async def still(self, source: str | Path, offset: float, output: Path, *, width: int | None = None) -> bool:
        """Write the picture at `offset` seconds of `source` (a file, or an archive URL read with ranged
        requests) to `output` (JPEG or PNG by its suffix), scaled to `width`. False when there is no picture
        there (past the end, unreadable) or the tool timed out."""

    @abc.abstractmethod
    async def join(
        self, files: Sequence[Path], output: int, *, inpoint: float | None, outpoint: float | None,
        work_dir: Path, on_written: Callable[[int], None], check_stop: Callable[[], None],
    ) -> None:  # fmt: skip
        """Join `files` in order into one MP4 written through the open descriptor `output`, copying the
        media (nothing re-encoded): the first cut at `inpoint`, the last at `outpoint` (seconds into each).
        `on_written` gets the bytes written so far; `check_stop` raises to abandon the join (the tool is
        stopped, and its exception passes through). Raises DiskFull when the disk fills, VidStreamError when
        the tool fails."""


class StorageService(abc.ABC):
    """An object store (S3/MinIO) or a local folder standing in for one: the seed's port."""

    @abc.abstractmethod
    async def upload_file(self, local_path: str, remote_path: str) -> str:
        """Upload and verify; returns the object's URI. Raises on failure, never half-succeeds."""

    @abc.abstractmethod
    async def get_file_url(self, remote_path: str, expires_in: int = 3600) -> str:
        """A URL that reads the object for `expires_in` seconds."""

    @abc.abstractmethod
    async def delete_file(self, remote_path: str) -> None:
        """Delete the object; deleting a missing object is not an error."""


@dataclass(frozen=True)
class UploadReceipt:
    """What the store holds after a verified upload: the archiver records it as it is, with no second look
    at the file. `sha256` is of the bytes sent (hex); the store checked the bytes it received against the
    checksum sent with them, `etag` and `version_id` are what it answered (empty/None when it has none)."""

    uri: str
    key: str
    size: int
    sha256: str
    etag: str = ""
    version_id: str | None = None


class ArchiveStorage(StorageService):
    """The archive as the application uses it: the seed's port, plus uploads that return a receipt, listing,
    details, downloads and object lock. Every adapter implements all of it (nothing is sniffed at run time)."""

    async def upload_file(self, local_path: str, remote_path: str) -> str:
        return (await self.upload(local_path, remote_path)).uri

    @abc.abstractmethod
    async def upload(
        self, local_path: str, remote_path: str, *, progress: ProgressCallback | None = None,
        retain_until: datetime | None = None,
    ) -> UploadReceipt:  # fmt: skip
        """Upload, verified by the store, in one read of the file. Where the store locks objects, the object
        is locked until `retain_until` (None, or a date already past: not locked). Raises VerificationFailed
        when the store did not receive what was sent; never half-succeeds."""

    @abc.abstractmethod
    async def list_files(self, prefix: str = "") -> list[StoredObject]: ...

    @abc.abstractmethod
    async def list_everywhere(self) -> tuple[list[StoredObject], dict[str, VidStreamError]]:
        """Every archive this storage reaches (its own and, when routed, each remote site's); a failing
        site is reported by its key ("" for the own archive) instead of raised."""

    @abc.abstractmethod
    async def stat_file(self, remote_path: str) -> StoredObject | None:
        """The object's details (with its metadata), None when it does not exist."""

    @abc.abstractmethod
    async def download_file(self, remote_path: str, local_path: str, progress: ProgressCallback | None = None) -> None:
        """Download and verify against the checksum recorded at upload; the file appears only when whole."""

    @abc.abstractmethod
    async def locked_until(self, remote_path: str) -> datetime | None:
        """Until when the store refuses to delete the object (S3 object lock); None when it does not lock.
        A store that locks still refuses a locked delete with RetentionLocked: this is a look before trying."""

    @abc.abstractmethod
    async def prepare(self) -> None:
        """Make the archive ready to take uploads (create the bucket or folder when missing)."""

    @abc.abstractmethod
    async def set_legal_hold(self, remote_path: str, on: bool) -> bool:
        """Put (`on`) or lift a legal hold on the object (S3 object lock): held, it cannot be deleted whatever
        its retention date. False when the store cannot hold objects (then nothing was changed)."""


class OnvifClient(abc.ABC):
    """An ONVIF device client (device, media and PTZ services, WS-Discovery). Every call has a bounded
    time; failures raise domain errors: Unauthorized, NotOnvifDevice, ServerUnreachable."""

    @abc.abstractmethod
    async def read_device(self, address: DeviceAddress, username: str, password: str) -> OnvifDevice:
        """The device's identity and its media profiles with their stream URLs."""

    @abc.abstractmethod
    async def discover(self, unicast_to: DeviceAddress | None, timeout: float) -> list[DiscoveredDevice]:
        """Devices answering a WS-Discovery probe: multicast on the local network, or one unicast probe."""

    @abc.abstractmethod
    async def ptz_move(self, target: PtzTarget, velocity: PtzVelocity) -> None:
        """Start a continuous pan/tilt/zoom; it runs until `ptz_stop` (or the device's own time-out)."""

    @abc.abstractmethod
    async def ptz_stop(self, target: PtzTarget) -> None: ...

    @abc.abstractmethod
    async def ptz_presets(self, target: PtzTarget) -> list[PtzPreset]:
        """The positions the camera keeps for the profile, in the camera's order."""

    @abc.abstractmethod
    async def ptz_save_preset(self, target: PtzTarget, name: str, token: str | None = None) -> str:
        """Keep the current position under `name` (over preset `token`, when given); returns its token."""

    @abc.abstractmethod
    async def ptz_goto_preset(self, target: PtzTarget, token: str) -> None: ...

    @abc.abstractmethod
    async def ptz_remove_preset(self, target: PtzTarget, token: str) -> None: ...


@dataclass(frozen=True)
class PtzTarget:
    """The device and media profile a PTZ command goes to; the password is held only for the call."""

    address: DeviceAddress
    username: str
    password: str = field(repr=False)
    profile_token: str


class RelayState(StrEnum):
    STARTING = "starting"
    RUNNING = "running"  # the relay process runs (whether the camera sends is the player's to tell)
    RESTARTING = "restarting"  # it exited; started again after a back-off
    FAILED = "failed"  # cannot start at all
    CLOSED = "closed"


@dataclass(frozen=True)
class RelayStatus:
    state: RelayState
    detail: str = ""  # why the last run ended (logins masked)
    restarts: int = 0
    retry_in_s: float = 0.0


class LiveRelay(abc.ABC):
    """One live stream relayed from the media server to a local player, supervised until closed."""

    audio: bool  # whether the camera's sound is relayed too
    container: str  # what the channel carries: "ts" (MPEG-TS) or "mjpeg" (multipart JPEG, for M-JPEG cameras)
    carries_audio: bool  # whether that container has room for sound at all

    @property
    @abc.abstractmethod
    def player_url(self) -> str:
        """What the local player opens: a channel no other local account can read."""

    @abc.abstractmethod
    def attach_player(self) -> None:
        """A player starts reading `player_url` (one at a time)."""

    @abc.abstractmethod
    def detach_player(self) -> None:
        """That player is gone: until the next one, what the relay sends is dropped, not kept for it."""

    @property
    @abc.abstractmethod
    def status(self) -> RelayStatus: ...

    @property
    @abc.abstractmethod
    def source_protocol(self) -> str:
        """What the relay reads from the media server now: "rtsp" or "rtmp"."""

    @property
    @abc.abstractmethod
    def pid(self) -> int | None:
        """The relay process while it runs."""

    @abc.abstractmethod
    def close(self) -> None:
        """End the relay without waiting (callable from any thread)."""

    @abc.abstractmethod
    def wait_closed(self, timeout: float) -> bool:
        """True once the relay process is gone and its channel removed."""


class LiveRelays(abc.ABC):
    """Relays for the wall's players: one per playing tile (see adapters/live_relay.py)."""

    @property
    @abc.abstractmethod
    def available(self) -> bool: ...

    @abc.abstractmethod
    def open(
        self, source_url: str, on_status: Callable[[RelayStatus], None] | None = None, audio: bool = False,
        video_codec: str | None = None,
    ) -> LiveRelay:  # fmt: skip
        """Start relaying `source_url` (which may carry the server's read login); returns at once. Video only
        unless `audio`: a wall of muted tiles needs no sound, and sound must never hold a picture back.
        `video_codec` (the media server's name, e.g. "M-JPEG") picks a container that can carry it."""

    @abc.abstractmethod
    def set_rtmp_route(self, route: Callable[[str], str | None] | None) -> None:
        """Relays opened from now on read H.264 from the media server's RTMP where `route` maps their RTSP
        URL to one (None: every relay reads RTSP)."""

    @abc.abstractmethod
    def active(self) -> list[LiveRelay]: ...

    @abc.abstractmethod
    def close_all(self, timeout: float = 2.0) -> bool:
        """End every relay; True once all are gone within `timeout`."""
