"""Cameras and the pure rules for their names, source URLs and archive keys."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import SplitResult, quote, unquote, urlsplit, urlunsplit

from video_streaming.domain.clock import require_aware
from video_streaming.domain.errors import InvalidInput
from video_streaming.domain.retention import RetentionPolicy

SUPPORTED_SCHEMES = ("rtsp", "rtsps", "rtmp", "rtmps", "srt", "http", "https", "udp")
MAX_NAME_LENGTH = 64
MAX_URL_LENGTH = 2048
_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


SecretLookup = Callable[[str], str | None]
"""Reads a secret by its name (the secret store's `get`)."""


@dataclass(frozen=True)
class SourceUrl:
    """A camera URL split into the part that may be shown/stored and the secret part. The secret part is a
    value (a login typed in the dialog, not stored yet) or the name of a secret in the store (a saved camera:
    `password_secret`, `query_secret`), which only `with_credentials` resolves."""

    url: str  # without credentials: safe to log, show and store
    username: str = ""
    password: str = field(default="", repr=False)
    # Query parameters that are passwords (`password=`, `pwd=`, `passphrase=`, ...), as `k=v&k2=v2`: kept
    # with the password in the secret store, never in the stored URL.
    secret_query: str = field(default="", repr=False)
    password_secret: str = ""  # the store's name for the password
    query_secret: str = ""  # the store's name for the secret query

    @property
    def has_secret(self) -> bool:
        return bool(self.password or self.secret_query or self.password_secret or self.query_secret)

    def with_credentials(self, secrets: SecretLookup | None = None) -> str:
        """The URL with its login, as the media server pulls it: called only where the source leaves the
        process (the MediaMTX adapter, the source probes); never log it. `secrets` resolves the names of
        stored secrets; without it a source that names one is refused (it would be pulled without its
        password)."""
        if (self.password_secret or self.query_secret) and secrets is None:
            raise InvalidInput("this camera's password is in the secret store, which was not given here")
        password = self.password or (secrets(self.password_secret) if secrets and self.password_secret else "") or ""
        query = self.secret_query or (secrets(self.query_secret) if secrets and self.query_secret else "") or ""
        return _joined(self.url, self.username, password, query)

    def masked(self) -> str:
        """The URL as it may be shown: its password (given or stored) as ***."""
        password = self.password or ("***" if self.password_secret else "")
        return mask_url(_joined(self.url, self.username, password, self.secret_query))


def _joined(url: str, username: str, password: str, query: str) -> str:
    parts = urlsplit(url)
    if query:
        parts = parts._replace(query="&".join(q for q in (parts.query, query) if q))
    if not username:
        return urlunsplit(parts)
    userinfo = quote(username, safe="")
    if password:
        userinfo += ":" + quote(password, safe="")
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{parts.netloc}"))


def parse_source_url(raw: str) -> SourceUrl:
    """Validate a camera URL and split the credentials out of it. Raises InvalidInput with a clear reason."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("camera URL is empty", "enter a URL such as rtsp://camera.local:554/stream")
    text = raw.strip()
    if len(text) > MAX_URL_LENGTH:
        raise InvalidInput(f"camera URL is too long ({len(text)} characters, at most {MAX_URL_LENGTH})")
    if _CONTROL.search(text) or any(ch.isspace() for ch in text):
        raise InvalidInput("camera URL contains spaces or control characters", "remove them")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise InvalidInput(f"camera URL is malformed: {error}", "check the host and port") from None
    scheme = parts.scheme.lower()
    if scheme not in SUPPORTED_SCHEMES:
        raise InvalidInput(
            f"unsupported camera URL scheme {parts.scheme or '(none)'!r}",
            f"use one of: {', '.join(SUPPORTED_SCHEMES)}",
        )
    host = parts.hostname or ""
    if not host or not re.fullmatch(r"[A-Za-z0-9.\-_:\[\]%]+", host):
        raise InvalidInput("camera URL has no valid host", "write it as scheme://host[:port]/path")
    if port == 0:
        raise InvalidInput("camera URL port 0 is not valid")
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc += f":{port}"
    public, secret = split_secret_query(parts.query)
    clean = SplitResult(scheme, netloc, parts.path, public, "")
    return SourceUrl(
        url=urlunsplit(clean),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        secret_query=secret,
    )


_SECRET_QUERY_NAMES = {"password", "passwd", "pass", "pwd", "passphrase", "token", "secret"}


def split_secret_query(query: str) -> tuple[str, str]:
    """(the query without password-like parameters, those parameters), both as written (order kept)."""
    public: list[str] = []
    secret: list[str] = []
    for item in query.split("&") if query else []:
        (secret if item.partition("=")[0].lower() in _SECRET_QUERY_NAMES else public).append(item)
    return "&".join(public), "&".join(secret)


_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)(?P<user>[^:@/\s]*)(?::[^@/\s]*)?@")
_SECRET_QUERY = re.compile(r"(?i)((?:password|passwd|pass|pwd|token|secret|passphrase|key)=)[^&\s]+")
# SRT stream ids carry a login as read:PATH:USER:PASS (MediaMTX's form).
_STREAMID_LOGIN = re.compile(r"(?i)(streamid=(?:read|publish):[^:&\s]+:[^:&\s]+:)[^&\s]+")


def mask_url(text: str) -> str:
    """Replace passwords in any URLs inside `text` by ***, keeping the user name for diagnosis."""
    masked = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@" if m["user"] else m[0], text)
    return _STREAMID_LOGIN.sub(r"\1***", _SECRET_QUERY.sub(r"\1***", masked))


def is_loopback_url(url: str) -> bool:
    """Does `url` name this machine (localhost, 127.0.0.0/8, ::1)?"""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_camera_name(raw: str) -> str:
    if not isinstance(raw, str):
        raise InvalidInput("camera name must be text")
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise InvalidInput("camera name is empty", "give the camera a name such as 'Front door'")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"camera name is too long ({len(name)} characters, at most {MAX_NAME_LENGTH})")
    if _CONTROL.search(name) or "/" in name or "\\" in name:
        raise InvalidInput("camera name may not contain slashes or control characters", "use plain words")
    return name


def slugify(name: str) -> str:
    """ASCII slug of a camera name, safe in a MediaMTX path, a file name and an S3 key."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_UNSAFE.sub("-", folded).strip("-")[:40] or "camera"


class RecordingMode(StrEnum):
    """When a camera is recorded: all the time, around its motion events only, or when the operator says so."""

    CONTINUOUS = "continuous"
    MOTION = "motion"
    MANUAL = "manual"


def parse_recording_mode(text: str) -> RecordingMode:
    try:
        return RecordingMode(text.strip().lower())
    except ValueError:
        choices = ", ".join(mode.value for mode in RecordingMode)
        raise InvalidInput(f"unknown recording mode {text!r}", f"use one of: {choices}") from None


@dataclass(frozen=True)
class Camera:
    name: str
    source: SourceUrl
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    sub_stream: SourceUrl | None = None
    retention: RetentionPolicy = field(default_factory=lambda: RetentionPolicy(30))
    enabled: bool = True
    # The remote site whose recorder owns this camera ("" = this machine). A site's cameras are played from
    # that site's media server and recorded by its recorder; this machine only shows and browses them.
    site: str = ""
    recording_mode: RecordingMode = RecordingMode.CONTINUOUS

    @classmethod
    def create(
        cls,
        name: str,
        source_url: str,
        *,
        sub_stream_url: str | None = None,
        retention_days: int = 30,
        camera_id: uuid.UUID | None = None,
    ) -> Camera:
        return cls(
            name=validate_camera_name(name),
            source=parse_source_url(source_url),
            id=camera_id or uuid.uuid4(),
            sub_stream=parse_source_url(sub_stream_url) if sub_stream_url else None,
            retention=RetentionPolicy(retention_days),
        )

    @property
    def key(self) -> str:
        """Unique, collision-free archive prefix: two cameras named alike still differ by id."""
        return f"{slugify(self.name)}-{self.id.hex[:8]}"

    def renamed(self, name: str) -> Camera:
        return replace(self, name=validate_camera_name(name))

    def edited(
        self, *, name: str, source_url: str, username: str, sub_stream_url: str, retention_days: int,
        recording_mode: RecordingMode,
    ) -> Camera:  # fmt: skip
        """The camera as the operator changed it: the name validated and the URLs parsed as on add, the
        retention's size cap and lock, its id, site and enabled state kept."""
        source = parse_source_url(source_url)
        return replace(
            self, name=validate_camera_name(name),
            source=SourceUrl(source.url, username or source.username, secret_query=source.secret_query),
            sub_stream=parse_source_url(sub_stream_url) if sub_stream_url else None,
            retention=RetentionPolicy(retention_days, self.retention.max_bytes, self.retention.locked),
            recording_mode=recording_mode,
        )  # fmt: skip


# The archive-key grammar (`recording_prefix` writes it, `archive_key.parse_archive_key` reads it back):
# groups camera key, year, month, day, recording id.
CAMERA_KEY_PATTERN = r"[a-z0-9][a-z0-9\-]{0,63}"
RECORDING_PREFIX_PATTERN = rf"({CAMERA_KEY_PATTERN})/(\d{{4}})/(\d{{2}})/(\d{{2}})/([0-9a-f\-]{{36}})/"
_RECORDING_PREFIX = re.compile(RECORDING_PREFIX_PATTERN)


def recording_prefix(camera_key: str, recording_id: uuid.UUID, recording_started_at: datetime) -> str:
    """`{camera}/{YYYY}/{MM}/{DD}/{recording_id}/`: the day is the recording's start day (UTC), so all
    of a recording's segments share one prefix even when it runs past midnight."""
    if not re.fullmatch(CAMERA_KEY_PATTERN, camera_key):
        raise InvalidInput(f"camera key {camera_key!r} is not a safe archive prefix")
    day = require_aware(recording_started_at, "recording start")
    return f"{camera_key}/{day.year:04d}/{day.month:02d}/{day.day:02d}/{recording_id}/"


def segment_file_name(segment_start: datetime, attempt: int = 0) -> str:
    """`20261126T141500Z-0.mp4`: the segment's UTC start, then the recorder attempt (a restart within the
    same second must not overwrite the previous file)."""
    moment = require_aware(segment_start, "segment start")
    return f"{moment.year:04d}{moment:%m%dT%H%M%S}Z-{attempt}.mp4"


_SEGMENT_FILE = re.compile(r"(\d{8}T\d{6})Z-(\d+)\.mp4")


def parse_segment_file_name(name: str) -> tuple[datetime, int] | None:
    match = _SEGMENT_FILE.fullmatch(name)
    if not match:
        return None
    start = datetime.strptime(match[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    return start, int(match[2])


def segment_key(camera_key: str, recording_id: uuid.UUID, recording_started_at: datetime, file_name: str) -> str:
    """`{camera}/{YYYY}/{MM}/{DD}/{recording_id}/{segment_start}-{attempt}.mp4`, safe for any camera name."""
    return segment_key_under(recording_prefix(camera_key, recording_id, recording_started_at), file_name)




def segment_key_under(storage_prefix: str, file_name: str) -> str:
    """A segment's key under its recording's prefix, the one fixed when the recording started (see
    `recording_prefix`): a camera renamed while it records keeps the whole recording under one prefix."""
    if not _RECORDING_PREFIX.fullmatch(storage_prefix):
        raise InvalidInput(f"{storage_prefix!r} is not a recording's archive prefix")
    if parse_segment_file_name(file_name) is None:
        raise InvalidInput(f"{file_name!r} is not a segment file name")
    return storage_prefix + file_name
