"""The composition root: builds VidStreamCore from settings (real adapters), and the embedded
default stack (app-managed MediaMTX, local MinIO, synthetic demo cameras)."""

from __future__ import annotations

import logging
import secrets as random_secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from video_streaming.adapters.ffmpeg import FFmpegRecorder
from video_streaming.adapters.local_storage import LocalFolderStorage
from video_streaming.adapters.mediamtx import MediaMTXClientImpl
from video_streaming.adapters.s3 import S3Storage, object_lock_setting
from video_streaming.adapters.site_storage import PrefixedStorage, SiteRoutedStorage
from video_streaming.archiver import Archiver
from video_streaming.catalog import Catalog
from video_streaming.config import Settings, SiteSettings, config_dir
from video_streaming.core import VidStreamCore
from video_streaming.domain.camera import Camera, SourceUrl
from video_streaming.domain.errors import InvalidInput, VidStreamError
from video_streaming.ports import StorageService
from video_streaming.retention import RetentionEnforcer
from video_streaming.runtime.mediamtx_server import MediaMTXEndpoints, MediaMTXServer
from video_streaming.runtime.minio_server import MinIOCredentials, MinIOServer
from video_streaming.runtime.ports import free_tcp_port, free_udp_port, is_listening
from video_streaming.runtime.synthetic_camera import CameraSpec, SyntheticCamera
from video_streaming.secrets import SecretStore
from video_streaming.service import PlaybackUrls, StreamingService
from video_streaming.sites import RemoteSite

log = logging.getLogger(__name__)
DEMO_NAMESPACE = uuid.UUID("6f1c3f7e-8d2a-4a0e-9a3c-5b1d0e7c2a11")
DEMO_NAMES = ["Entrance", "Parking", "Loading dock", "Lobby", "Corridor", "Warehouse", "Gate", "Roof",
              "Server room", "Reception", "Stairs", "Yard", "Garage", "Office", "Kitchen", "Back door"]  # fmt: skip


def _port_or_free(preferred: int, udp: bool = False) -> int:
    if udp:
        return free_udp_port()
    return preferred if not is_listening("127.0.0.1", preferred) else free_tcp_port()


@dataclass
class EmbeddedStack:
    """Servers the app owns in the embedded default; stopped with the app."""

    mediamtx: MediaMTXServer | None
    minio: MinIOServer | None
    cameras: list[SyntheticCamera] = field(default_factory=list)

    def revive(self) -> list[str]:
        """Restart app-owned processes that died (killed, crashed): MediaMTX on its same ports, then
        the demo cameras that publish to it. Returns what was restarted (for the log and alerts)."""
        revived = []
        if self.mediamtx is not None and not self.mediamtx.process.running:
            self.mediamtx.start()
            revived.append("media server")
        if self.minio is not None and not self.minio.process.running:
            self.minio.process.start()
            revived.append("archive server")
        restarted = [camera for camera in self.cameras if not camera.running]
        for camera in restarted:
            camera.start()
            revived.append(camera.spec.label)
        if restarted and self.mediamtx is not None:
            # Wait for the demo cameras to publish before the core re-provisions the paths that pull from
            # them: a pull that fails first is retried by MediaMTX only 5 s later.
            self.mediamtx.wait_paths_ready([urlsplit(c.publish_url).path.lstrip("/") for c in restarted], 5.0)
        return revived

    def stop(self) -> None:
        for camera in self.cameras:
            camera.stop()
        if self.mediamtx is not None:
            self.mediamtx.stop()
        if self.minio is not None:
            self.minio.stop()


def start_embedded_stack(settings: Settings, store: SecretStore, wait_for_archive: bool = True) -> EmbeddedStack:
    """Start MediaMTX, the demo cameras and (for the embedded archive) MinIO. With
    `wait_for_archive=False` MinIO is launched but not waited for: the wall needs only MediaMTX, and
    the archiver retries until MinIO answers."""
    run_dir = settings.data_path / "run"
    endpoints = MediaMTXEndpoints(
        host="127.0.0.1",
        api_port=_port_or_free(settings.mediamtx.api_port),
        rtsp_port=_port_or_free(settings.mediamtx.rtsp_port),
        rtmp_port=_port_or_free(settings.mediamtx.rtmp_port),
        hls_port=_port_or_free(settings.mediamtx.hls_port),
        srt_port=_port_or_free(settings.mediamtx.srt_port, udp=True),
        api_user="vidstream-api",
        api_password=random_secrets.token_urlsafe(24),  # new for every run of the app-owned server
    )
    mediamtx = MediaMTXServer(run_dir / "mediamtx", endpoints)
    mediamtx.start()
    minio = None
    if settings.storage.kind == "embedded-minio":
        minio = embedded_minio(settings, store)
        if wait_for_archive:
            minio.start()
        else:
            minio.process.start()
    stack = EmbeddedStack(mediamtx, minio)
    for index in range(settings.demo_cameras):
        camera = SyntheticCamera(
            endpoints.rtsp_url(f"demo/cam{index + 1}"),
            run_dir / f"demo-camera-{index + 1}.log",
            CameraSpec(label=DEMO_NAMES[index % len(DEMO_NAMES)], audio=False),
        )
        camera.start()
        stack.cameras.append(camera)
    return stack


def embedded_minio(settings: Settings, store: SecretStore) -> MinIOServer:
    """The local archive's MinIO; its keys are generated on first use and kept in the secret store."""
    credentials = MinIOCredentials(
        access_key=store.get_or_create("embedded-minio-access-key", lambda: MinIOCredentials.generate().access_key),
        secret_key=store.get_or_create("embedded-minio-secret-key", lambda: MinIOCredentials.generate().secret_key),
    )
    return MinIOServer(settings.data_path / "minio", credentials)


def build_storage(settings: Settings, store: SecretStore, stack: EmbeddedStack | None) -> StorageService:
    storage = settings.storage
    if storage.kind == "local":
        return LocalFolderStorage(Path(storage.local_path).expanduser() if storage.local_path
                                  else settings.data_path / "archive")  # fmt: skip
    if storage.kind == "embedded-minio":
        if stack is None or stack.minio is None:
            raise InvalidInput("the embedded MinIO archive needs the embedded stack")
        return S3Storage(stack.minio.endpoint_url, storage.bucket, stack.minio.credentials.access_key,
                         stack.minio.credentials.secret_key, object_lock=object_lock_setting(storage.object_lock),
                         public_endpoint_url=storage.public_endpoint_url or None)  # fmt: skip
    secret = store.get("s3-secret-key") or ""
    if not storage.access_key or not secret:
        raise InvalidInput(
            "S3 credentials are not set", "set [storage] access_key and run `vidstream secret set s3-secret-key`"
        )
    s3 = S3Storage(storage.endpoint_url or None, storage.bucket, storage.access_key, secret,
                   region=storage.region, allow_insecure_remote=storage.allow_insecure,
                   object_lock=object_lock_setting(storage.object_lock),
                   public_endpoint_url=storage.public_endpoint_url or None)  # fmt: skip
    return PrefixedStorage(s3, storage.prefix) if storage.prefix else s3


def site_secret_name(site: SiteSettings, what: str) -> str:
    """`what` is "mediamtx-api" or "s3-secret-key"."""
    return f"site:{site.key}:{what}"


def build_site(site: SiteSettings, store: SecretStore) -> RemoteSite:
    """A remote recorder site from its settings; its passwords come from the secret store."""
    api = urlsplit(site.api_url)
    if not api.hostname:
        raise InvalidInput(f"site {site.name}: api_url {site.api_url!r} has no host")
    default_port = 443 if api.scheme == "https" else 9997
    mediamtx = MediaMTXClientImpl(api.hostname, api.port or default_port, scheme=api.scheme,
                                  username=site.api_user or None,
                                  password=store.get(site_secret_name(site, "mediamtx-api")))  # fmt: skip
    host = site.stream_host or api.hostname
    urls = PlaybackUrls(
        rtsp_base=f"rtsp://{host}:{site.rtsp_port}", hls_base=f"{api.scheme}://{host}:{site.hls_port}",
        srt_base=f"srt://{host}:{site.srt_port}", rtmp_base=f"rtmp://{host}:{site.rtmp_port}",
    )  # fmt: skip
    secret_name = site_secret_name(site, "s3-secret-key")
    secret = store.get(secret_name) or ""
    if not site.access_key or not secret:
        raise InvalidInput(f"site {site.name}: archive credentials are not set",
                           f"set its access_key, then run `vidstream secret set {secret_name}`")  # fmt: skip
    s3 = S3Storage(site.s3_endpoint_url or None, site.bucket, site.access_key, secret, region=site.region,
                   allow_insecure_remote=site.allow_insecure)  # fmt: skip
    storage = PrefixedStorage(s3, site.prefix) if site.prefix else s3
    return RemoteSite(site.name, site.key, mediamtx, storage, urls)


def build_sites(settings: Settings, store: SecretStore) -> tuple[list[RemoteSite], list[str]]:
    """Every configured site that can be set up; a misconfigured one is reported, and the others work."""
    sites, problems = [], []
    for site in settings.sites:
        try:
            sites.append(build_site(site, store))
        except VidStreamError as error:
            problems.append(f"site {site.name} is left out: {error}")
    return sites, problems


def build_core(
    settings: Settings,
    store: SecretStore,
    stack: EmbeddedStack | None = None,
    *,
    storage: StorageService | None = None,
    catalog_path: Path | None = None,
    sites: list[RemoteSite] | None = None,
) -> VidStreamCore:
    if stack is not None and stack.mediamtx is not None:
        endpoints = stack.mediamtx.endpoints
        mediamtx = MediaMTXClientImpl(endpoints.host, endpoints.api_port,
                                      username=endpoints.api_user, password=endpoints.api_password)  # fmt: skip
        host = endpoints.host
        urls = PlaybackUrls(
            rtsp_base=f"rtsp://{host}:{endpoints.rtsp_port}", hls_base=f"http://{host}:{endpoints.hls_port}",
            srt_base=f"srt://{host}:{endpoints.srt_port}", rtmp_base=f"rtmp://{host}:{endpoints.rtmp_port}",
        )  # fmt: skip
    else:
        m = settings.mediamtx
        mediamtx = MediaMTXClientImpl(m.host, m.api_port, username=m.username or None,
                                      password=store.get("mediamtx-api"), scheme=m.api_scheme)  # fmt: skip
        urls = PlaybackUrls(
            rtsp_base=f"rtsp://{m.host}:{m.rtsp_port}", hls_base=f"http://{m.host}:{m.hls_port}",
            srt_base=f"srt://{m.host}:{m.srt_port}", rtmp_base=f"rtmp://{m.host}:{m.rtmp_port}",
        )  # fmt: skip
    catalog = Catalog(catalog_path or settings.data_path / "catalog.sqlite3")
    storage = storage or build_storage(settings, store, stack)
    remote_sites, site_problems = (list(sites), []) if sites is not None else build_sites(settings, store)
    # Keys of a site's recordings carry its `@{site}/` marker; the core reaches every archive through this.
    archives: StorageService = storage
    if remote_sites:
        archives = SiteRoutedStorage(storage, {site.key: site.storage for site in remote_sites})
    recorder = FFmpegRecorder(segment_seconds=settings.recording.segment_seconds)
    cameras_by_id = catalog.camera

    def camera_key(camera_id: object) -> str:
        camera = cameras_by_id(str(camera_id))
        return camera.key if camera else "camera"

    service = StreamingService(mediamtx, recorder, archives, urls=urls, recordings_dir=settings.recordings_path,
                               camera_keys=camera_key)  # fmt: skip
    core = VidStreamCore(
        service=service, catalog=catalog, recorder=recorder, archiver=Archiver(catalog, storage),
        retention=RetentionEnforcer(catalog, storage), mediamtx=mediamtx, storage=archives, secrets=store,
        recordings_dir=settings.recordings_path, min_free_bytes=settings.recording.min_free_mb * 2**20,
        sites=remote_sites, work_dir=settings.data_path / "run",
    )  # fmt: skip
    core.setup_problems.extend(site_problems)
    return core


def register_demo_cameras(core: VidStreamCore, stack: EmbeddedStack) -> list[Camera]:
    """The demo cameras keep fixed ids across runs (their recordings stay theirs); their URLs follow
    this run's ports."""
    cameras = []
    for index, synthetic in enumerate(stack.cameras):
        camera_id = uuid.uuid5(DEMO_NAMESPACE, f"demo-{index + 1}")
        existing = core.catalog.camera(str(camera_id))
        name = existing.name if existing else DEMO_NAMES[index % len(DEMO_NAMES)]
        retention = existing.retention if existing else Camera.create(name, synthetic.publish_url).retention
        camera = Camera(name=name, source=SourceUrl(synthetic.publish_url), id=camera_id, retention=retention)
        core.catalog.save_camera(camera)
        cameras.append(camera)
    return cameras


def default_secret_store(settings: Settings) -> SecretStore:
    return SecretStore(config_dir() / "secrets.json")


def own_s3_archive(storage: StorageService) -> S3Storage | None:
    """The S3 bucket this machine records into, beneath the site routing and prefix wrappers."""
    if isinstance(storage, SiteRoutedStorage):
        storage = storage.local
    if isinstance(storage, PrefixedStorage):
        storage = storage.inner
    return storage if isinstance(storage, S3Storage) else None


async def ensure_archive_ready(core: VidStreamCore) -> None:
    if (archive := own_s3_archive(core.storage)) is not None:
        await archive.ensure_bucket()
