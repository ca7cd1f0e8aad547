"""Configuration: a TOML file under the platform's config dir; secrets come from SecretStore."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from video_streaming.domain.camera import is_loopback_url, slugify
from video_streaming.domain.errors import InvalidInput
from video_streaming.motion.ring import RollSettings


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir("vidstream"))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir("vidstream"))


@dataclass(frozen=True)
class MediaMTXSettings:
    embedded: bool = True
    host: str = "127.0.0.1"
    api_port: int = 9997
    api_scheme: str = "http"
    allow_insecure: bool = False  # plain http to an API on another machine (its password in clear)
    username: str = ""  # password: secret "mediamtx-api"
    reader_user: str = ""  # the login the app reads streams with; password: secret "mediamtx-reader"
    rtsp_port: int = 8554
    srt_port: int = 8890
    hls_port: int = 8888
    rtmp_port: int = 1935


@dataclass(frozen=True)
class StorageSettings:
    kind: str = "embedded-minio"  # "s3", "local" or "embedded-minio"
    endpoint_url: str = ""
    bucket: str = "vidstream"
    region: str = "us-east-1"
    access_key: str = ""  # secret key: secret "s3-secret-key"
    local_path: str = ""
    allow_insecure: bool = False
    # A folder of the bucket for this recorder's archive: several recorder hosts can share one bucket.
    prefix: str = ""
    # S3 object lock on uploads: "auto" (where the bucket has object lock), "off", "governance", "compliance".
    object_lock: str = "auto"
    # Where others reach the archive, when not at endpoint_url (a public name in front of a loopback MinIO):
    # share links are signed for it. Empty: links name endpoint_url.
    public_endpoint_url: str = ""


@dataclass(frozen=True)
class RecordingSettings:
    segment_seconds: int = 60
    directory: str = ""
    min_free_mb: int = 1024
    # Cameras in motion mode: how much before an event's first and after its last moving frame is kept.
    pre_roll_seconds: int = 5
    post_roll_seconds: int = 10


@dataclass(frozen=True)
class SiteSettings:
    """A remote recorder site this workstation shows: its MediaMTX (control API and stream ports) and its
    S3 archive (bucket and prefix). Secrets: "site:{name}:mediamtx-api" and "site:{name}:s3-secret-key"."""

    name: str = ""
    api_url: str = ""  # e.g. https://recorder-a.example:9997
    api_user: str = ""
    stream_user: str = ""  # the login its streams are read with; password: secret "site:{name}:mediamtx-reader"
    stream_host: str = ""  # where players reach its streams; the API's host when empty
    rtsp_port: int = 8554
    srt_port: int = 8890
    hls_port: int = 8888
    rtmp_port: int = 1935
    s3_endpoint_url: str = ""
    bucket: str = ""
    prefix: str = ""
    region: str = "us-east-1"
    access_key: str = ""
    allow_insecure: bool = False

    @property
    def key(self) -> str:
        """The site's short name in archive keys and secret names."""
        return slugify(self.name)


@dataclass(frozen=True)
class Settings:
    mediamtx: MediaMTXSettings = field(default_factory=MediaMTXSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    recording: RecordingSettings = field(default_factory=RecordingSettings)
    demo_cameras: int = 4
    data_dir: str = ""
    sites: tuple[SiteSettings, ...] = ()

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser() if self.data_dir else data_dir()

    @property
    def recordings_path(self) -> Path:
        directory = self.recording.directory
        return Path(directory).expanduser() if directory else self.data_path / "recordings"


_SECTIONS: dict[str, type] = {
    "mediamtx": MediaMTXSettings,
    "storage": StorageSettings,
    "recording": RecordingSettings,
}


def _build(cls: type, section: str, raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise InvalidInput(f"[{section}] must be a table of settings")
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(raw) - known
    if unknown:
        raise InvalidInput(f"unknown setting(s) in [{section}]: {', '.join(sorted(unknown))}",
                           f"known settings: {', '.join(sorted(known))}")  # fmt: skip
    defaults = cls()
    for key, value in raw.items():
        expected = type(getattr(defaults, key))
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise InvalidInput(f"[{section}] {key} must be {expected.__name__}, got {value!r}"[:200])
    return cls(**raw)


def parse_settings(text: str) -> Settings:
    """Parse a config file's text. Raises InvalidInput with the line that is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"the configuration file is not valid TOML: {error}", "fix or delete it") from None
    top_known = {*_SECTIONS, "demo_cameras", "data_dir", "sites"}
    if unknown := set(raw) - top_known:
        raise InvalidInput(f"unknown setting(s): {', '.join(sorted(unknown))}"[:300])
    sections = {name: _build(cls, name, raw.get(name, {})) for name, cls in _SECTIONS.items()}
    demo = raw.get("demo_cameras", 4)
    if not isinstance(demo, int) or isinstance(demo, bool) or not 0 <= demo <= 16:
        raise InvalidInput("demo_cameras must be a whole number from 0 to 16")
    data = raw.get("data_dir", "")
    if not isinstance(data, str):
        raise InvalidInput("data_dir must be text")
    settings = Settings(demo_cameras=demo, data_dir=data, sites=_parse_sites(raw.get("sites", [])), **sections)
    if settings.recording.segment_seconds < 2 or settings.recording.segment_seconds > 3600:
        raise InvalidInput("recording segment_seconds must be from 2 to 3600")
    RollSettings(settings.recording.pre_roll_seconds, settings.recording.post_roll_seconds)  # refuses nonsense
    if settings.storage.kind not in {"s3", "local", "embedded-minio"}:
        raise InvalidInput(f"storage kind {settings.storage.kind!r} is unknown", "use s3, local or embedded-minio")
    return settings


def _parse_sites(raw: Any) -> tuple[SiteSettings, ...]:
    if not isinstance(raw, list):
        raise InvalidInput("sites must be a list of [[sites]] tables")
    sites = tuple(_build(SiteSettings, f"sites #{index + 1}", item) for index, item in enumerate(raw))
    seen: set[str] = set()
    for index, site in enumerate(sites):
        where = f"[[sites]] #{index + 1}"
        if not site.name.strip() or len(site.name) > 80:
            raise InvalidInput(f"{where} needs a name of 1 to 80 characters", 'e.g. name = "Warehouse"')
        if site.key in seen:
            raise InvalidInput(f"{where}: two sites are named {site.name!r} (or alike)", "give each site its own name")
        seen.add(site.key)
        scheme = site.api_url.partition("://")[0].lower() if "://" in site.api_url else ""
        if scheme not in {"http", "https"}:
            raise InvalidInput(f"{where} ({site.name}): api_url must be the MediaMTX API's http(s):// address")
        if scheme == "http" and not site.allow_insecure and not is_loopback_url(site.api_url):
            # Its API password (Basic auth) would cross the network in clear.
            raise InvalidInput(f"{where} ({site.name}): api_url is plain http to another machine",
                               "use https://, or set allow_insecure = true for this site")  # fmt: skip
        if not site.bucket:
            raise InvalidInput(f"{where} ({site.name}): bucket is missing", "the site's archive bucket")
        for port in (site.rtsp_port, site.srt_port, site.hls_port, site.rtmp_port):
            if not 0 < port < 65536:
                raise InvalidInput(f"{where} ({site.name}): port {port} is out of range")
    return sites


def load_settings(path: Path | None = None) -> Settings:
    target = path or config_dir() / "config.toml"
    if not target.exists():
        if path is not None:
            raise InvalidInput(f"configuration file {path} does not exist")
        return Settings()
    return parse_settings(target.read_text(encoding="utf-8", errors="replace"))
