"""The composition root: builds VidStreamCore from settings (real adapters), and the embedded
default stack (app-managed MediaMTX, local MinIO, synthetic demo cameras)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import secrets as random_secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from video_streaming.adapters.ffmpeg import FFmpegRecorder
from video_streaming.adapters.frame_reader import FFmpegFrameReader
from video_streaming.adapters.live_relay import FFmpegLiveRelays
from video_streaming.adapters.local_storage import LocalFolderStorage
from video_streaming.adapters.media_files import FFmpegMediaFiles
from video_streaming.adapters.mediamtx import MediaMTXClientImpl
from video_streaming.adapters.mediamtx_log import MediaMTXLog
from video_streaming.adapters.recorder_codecs import RtmpRoute, TrackLookup
from video_streaming.adapters.ring_recorder import FFmpegRingRecorder
from video_streaming.adapters.s3 import S3Storage, object_lock_setting
from video_streaming.adapters.site_storage import PrefixedStorage, SiteRoutedStorage
from video_streaming.archiver import Archiver
from video_streaming.catalog import Catalog
from video_streaming.config import Settings, SiteSettings, config_dir
from video_streaming.core import PublishLogin, VidStreamCore, camera_query_secret_name
from video_streaming.domain.camera import Camera, RecordingMode, SourceUrl, is_loopback_url, parse_source_url
from video_streaming.domain.clock import Clock, utc_now
from video_streaming.domain.errors import InvalidInput, ServerUnreachable, VidStreamError
from video_streaming.motion.recording import MotionRecordingService
from video_streaming.motion.ring import RING_FOLDER, RollSettings
from video_streaming.motion.service import MotionService
from video_streaming.motion.store import MotionStore
from video_streaming.onvif_cameras import OnvifCameraService
from video_streaming.ports import ArchiveStorage, LiveRelays, MediaFiles, SegmentRecorder
from video_streaming.private_files import private_dir, private_dirs, write_private_file
from video_streaming.retention import RetentionEnforcer
from video_streaming.runtime.mediamtx_server import MediaMTXEndpoints, MediaMTXServer, Publisher
from video_streaming.runtime.minio_server import MinIOCredentials, MinIOServer
from video_streaming.runtime.ports import free_tcp_port, free_udp_port, is_listening
from video_streaming.runtime.synthetic_camera import CameraSpec, SyntheticCamera
from video_streaming.secrets import SecretStore
from video_streaming.service import PlaybackUrls, StreamingService
from video_streaming.sites import RemoteSite

log = logging.getLogger(__name__)
LEGACY_DEMO_NAMESPACE = uuid.UUID("6f1c3f7e-8d2a-4a0e-9a3c-5b1d0e7c2a11")  # before ids were per install
DEMO_NAMES = ["Entrance", "Parking", "Loading dock", "Lobby", "Corridor", "Warehouse", "Gate", "Roof",
              "Server room", "Reception", "Stairs", "Yard", "Garage", "Office", "Kitchen", "Back door"]  # fmt: skip


def _port_or_free(preferred: int, udp: bool = False) -> int:
    if udp:
        return free_udp_port()
    return preferred if not is_listening("127.0.0.1", preferred) else free_tcp_port()


@dataclass(frozen=True)
class CoreTuning:
    """Timings a test (or an unusual site) sets apart from production, given to the core's collaborators as
    they are built; every default is the production value."""

    upload_min_backoff: float = 0.5  # the archiver's first retry while the archive is down
    upload_max_backoff: float = 30.0
    keep_local: bool = False  # the archiver keeps each segment's local copy after its verified upload
    ready_timeout: float = 10.0  # how long a camera's start waits for its first media
    camera_retry_min_backoff: float = 2.0  # a kept camera that is down is retried this soon, then less often


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
    private_dirs([settings.data_path, run_dir])
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
    demo_paths = [f"demo/cam{index + 1}" for index in range(settings.demo_cameras)]
    mediamtx = start_mediamtx(run_dir / "mediamtx", endpoints, demo_paths)
    minio = None
    if settings.storage.kind == "embedded-minio":
        minio = embedded_minio(settings, store)
        if wait_for_archive:
            minio.start()
            stable_port(settings.data_path / "minio", minio.port)  # it may have had to move
        else:
            minio.process.start()
    stack = EmbeddedStack(mediamtx, minio)
    for index, path in enumerate(demo_paths):
        camera = SyntheticCamera(
            endpoints.rtsp_url(path),
            run_dir / f"demo-camera-{index + 1}.log",
            CameraSpec(label=DEMO_NAMES[index % len(DEMO_NAMES)], audio=False),
            socket=mediamtx.sockets[path],
        )
        camera.start()
        stack.cameras.append(camera)
    if stack.cameras:
        # The cameras start all at once: a pull of a demo camera not yet publishing would wait 5 s for
        # MediaMTX's next try.
        mediamtx.wait_paths_ready([urlsplit(c.publish_url).path.lstrip("/") for c in stack.cameras], 5.0)
    return stack


def start_mediamtx(work_dir: Path, endpoints: MediaMTXEndpoints, socket_paths: list[str],
                   attempts: int = 3) -> MediaMTXServer:  # fmt: skip
    """Start the app's MediaMTX. A port found free can be taken by another program before MediaMTX binds it
    (checking and binding are two steps): then it starts again on ports the system picks anew."""
    for attempt in range(attempts):
        mediamtx = MediaMTXServer(work_dir, endpoints, socket_paths=socket_paths)
        try:
            mediamtx.start()
            return mediamtx
        except ServerUnreachable as error:
            if "address already in use" not in str(error) or attempt == attempts - 1:
                raise
            log.warning("a port of the media server was taken meanwhile; starting it on other ports")
            endpoints = dataclasses.replace(
                endpoints, api_port=free_tcp_port(), rtsp_port=free_tcp_port(), rtmp_port=free_tcp_port(),
                hls_port=free_tcp_port(), srt_port=free_udp_port(),
            )  # fmt: skip
    raise AssertionError("unreachable")


def embedded_minio(settings: Settings, store: SecretStore) -> MinIOServer:
    """The local archive's MinIO; its keys are generated on first use and kept in the secret store."""
    credentials = MinIOCredentials(
        access_key=store.get_or_create("embedded-minio-access-key", lambda: MinIOCredentials.generate().access_key),
        secret_key=store.get_or_create("embedded-minio-secret-key", lambda: MinIOCredentials.generate().secret_key),
    )
    return MinIOServer(settings.data_path / "minio", credentials, port=stable_port(settings.data_path / "minio"))


def stable_port(folder: Path, now_on: int | None = None) -> int:
    """The embedded MinIO listens where it did last time, so share links made before a restart still work.
    When that port is taken (another program), a new one is chosen and older links stop working. With
    `now_on`, record the port MinIO ended up on."""
    record = folder / "port"
    try:
        port = int(record.read_text().strip())
    except (OSError, ValueError):
        port = 0
    if now_on is not None:
        port = now_on
    elif not 1024 < port < 65536 or is_listening("127.0.0.1", port):
        port = free_tcp_port()
    private_dir(folder)
    write_private_file(record, str(port))
    return port


def build_storage(settings: Settings, store: SecretStore, stack: EmbeddedStack | None) -> ArchiveStorage:
    storage = settings.storage
    if storage.kind == "local":
        return LocalFolderStorage(Path(storage.local_path).expanduser() if storage.local_path
                                  else settings.data_path / "archive")  # fmt: skip
    if storage.kind == "embedded-minio":
        if stack is None or stack.minio is None:
            raise InvalidInput("the embedded MinIO archive needs the embedded stack")
        return S3Storage(stack.minio.endpoint_url, storage.bucket, stack.minio.credentials.access_key,
                         stack.minio.credentials.secret_key, object_lock=object_lock_setting(storage.object_lock),
                         scoped_links=True, public_endpoint_url=storage.public_endpoint_url or None)  # fmt: skip
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
    """`what` is "mediamtx-api", "mediamtx-reader" or "s3-secret-key"."""
    return f"site:{site.key}:{what}"


def build_site(site: SiteSettings, store: SecretStore) -> RemoteSite:
    """A remote recorder site from its settings; its passwords come from the secret store."""
    api = urlsplit(site.api_url)
    if not api.hostname:
        raise InvalidInput(f"site {site.name}: api_url {site.api_url!r} has no host")
    scheme = api.scheme.lower()
    if scheme == "http" and not site.allow_insecure and not is_loopback_url(site.api_url):
        raise InvalidInput(f"site {site.name}: its API is plain http to another machine",
                           "use https://, or set allow_insecure = true for this site")  # fmt: skip
    default_port = 443 if scheme == "https" else 9997
    mediamtx = MediaMTXClientImpl(api.hostname, api.port or default_port, scheme=scheme,
                                  username=site.api_user or None,
                                  password=store.get(site_secret_name(site, "mediamtx-api")))  # fmt: skip
    host = site.stream_host or api.hostname
    urls = PlaybackUrls(
        rtsp_base=f"rtsp://{host}:{site.rtsp_port}", hls_base=f"{scheme}://{host}:{site.hls_port}",
        srt_base=f"srt://{host}:{site.srt_port}", rtmp_base=f"rtmp://{host}:{site.rtmp_port}",
        reader_user=site.stream_user, reader_password=store.get(site_secret_name(site, "mediamtx-reader")) or "",
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
    storage: ArchiveStorage | None = None,
    catalog_path: Path | None = None,
    sites: list[RemoteSite] | None = None,
    tuning: CoreTuning | None = None,
    clock: Clock = utc_now,
    recorder: SegmentRecorder | None = None,
    media_files: MediaFiles | None = None,
) -> VidStreamCore:
    """The core on real adapters; each keyword is a collaborator a caller (a test, a bench) may give instead.
    `clock` is what retention, deletion and bookmarks take for "now": a test passes one it can move forward
    instead of waiting days for a deadline."""
    if stack is not None and stack.mediamtx is not None:
        endpoints = stack.mediamtx.endpoints
        mediamtx = MediaMTXClientImpl(endpoints.host, endpoints.api_port,
                                      username=endpoints.api_user, password=endpoints.api_password,
                                      log=MediaMTXLog(stack.mediamtx.process.log_path), secrets=store.get)  # fmt: skip
        host = endpoints.host
        urls = PlaybackUrls(
            rtsp_base=f"rtsp://{host}:{endpoints.rtsp_port}", hls_base=f"http://{host}:{endpoints.hls_port}",
            srt_base=f"srt://{host}:{endpoints.srt_port}", rtmp_base=f"rtmp://{host}:{endpoints.rtmp_port}",
            reader_user=endpoints.reader_user, reader_password=endpoints.reader_password,
        )  # fmt: skip
    else:
        m = settings.mediamtx
        if m.api_scheme.lower() != "https" and not m.allow_insecure and not is_loopback_url(f"http://{m.host}"):
            raise InvalidInput(f"the MediaMTX API at {m.host} is plain http to another machine",
                               'use api_scheme = "https", or set [mediamtx] allow_insecure = true')  # fmt: skip
        mediamtx = MediaMTXClientImpl(m.host, m.api_port, username=m.username or None,
                                      password=store.get("mediamtx-api"), scheme=m.api_scheme,
                                      secrets=store.get)  # fmt: skip
        urls = PlaybackUrls(
            rtsp_base=f"rtsp://{m.host}:{m.rtsp_port}", hls_base=f"http://{m.host}:{m.hls_port}",
            srt_base=f"srt://{m.host}:{m.srt_port}", rtmp_base=f"rtmp://{m.host}:{m.rtmp_port}",
            reader_user=m.reader_user, reader_password=store.get("mediamtx-reader") or "",
        )  # fmt: skip
    # Footage, catalog and logs: nobody else's on a shared workstation.
    private_dirs([settings.data_path, settings.recordings_path, settings.data_path / "run"])
    catalog = Catalog(catalog_path or settings.data_path / "catalog.sqlite3")
    move_query_secrets(catalog, store)
    storage = storage or build_storage(settings, store, stack)
    remote_sites, site_problems = (list(sites), []) if sites is not None else build_sites(settings, store)
    # Keys of a site's recordings carry its `@{site}/` marker; the core reaches every archive through this.
    archives: ArchiveStorage = storage
    if remote_sites:
        archives = SiteRoutedStorage(storage, {site.key: site.storage for site in remote_sites})
    # The embedded server's RTMP listener is on (render_config); another server's is not known to be.
    embedded_rtmp = stack is not None and stack.mediamtx is not None
    recorder = recorder or FFmpegRecorder(segment_seconds=settings.recording.segment_seconds,
                                          track_lookup=mediamtx_track_lookup(mediamtx, urls),
                                          rtmp_route=mediamtx_rtmp_route(urls) if embedded_rtmp else None)  # fmt: skip
    cameras_by_id = catalog.camera

    def camera_key(camera_id: object) -> str:
        camera = cameras_by_id(str(camera_id))
        return camera.key if camera else "camera"

    tuning = tuning or CoreTuning()
    service = StreamingService(mediamtx, recorder, archives, urls=urls, recordings_dir=settings.recordings_path,
                               ready_timeout=tuning.ready_timeout, camera_keys=camera_key,
                               diagnostics=mediamtx)  # fmt: skip
    archiver = Archiver(catalog, storage, keep_local=tuning.keep_local, min_backoff=tuning.upload_min_backoff,
                        max_backoff=tuning.upload_max_backoff)  # fmt: skip
    core = VidStreamCore(
        service=service, catalog=catalog, recorder=recorder, archiver=archiver,
        retention=RetentionEnforcer(catalog, storage, clock=clock), mediamtx=mediamtx, storage=archives, secrets=store,
        recordings_dir=settings.recordings_path, min_free_bytes=settings.recording.min_free_mb * 2**20,
        sites=remote_sites, work_dir=settings.data_path / "run", media_files=media_files or FFmpegMediaFiles(),
        camera_retry_min_backoff=tuning.camera_retry_min_backoff, clock=clock,
    )  # fmt: skip
    core.setup_problems.extend(site_problems)
    core.live_rtmp_route = mediamtx_rtmp_route(urls) if embedded_rtmp else None
    if stack is not None and stack.mediamtx is not None:
        server = stack.mediamtx
        core.motion_over_rtmp = True

        async def give_logins(logins: list[PublishLogin]) -> None:
            server.publishers = [Publisher(login.user, login.password, login.path) for login in logins]
            await mediamtx.set_auth_users(server.auth_users())

        core.publishers_changed = give_logins
    core.attach_motion(MotionService(MotionStore(catalog), FFmpegFrameReader))
    ring = FFmpegRingRecorder(track_lookup=mediamtx_track_lookup(mediamtx, urls),
                              rtmp_route=mediamtx_rtmp_route(urls) if embedded_rtmp else None)  # fmt: skip
    core.attach_motion_recording(MotionRecordingService(
        catalog, ring, recordings_dir=settings.recordings_path, ring_dir=settings.recordings_path / RING_FOLDER,
        rolls=RollSettings(settings.recording.pre_roll_seconds, settings.recording.post_roll_seconds),
        changed=core.changed, segment_added=core.archiver.wake, alert=core.alert,
    ))  # fmt: skip
    return core


def mediamtx_track_lookup(mediamtx: MediaMTXClientImpl, urls: PlaybackUrls) -> TrackLookup:
    """The recorder reads MediaMTX's RTSP; the codecs of what it is about to record are in the path's state."""
    prefix = urls.rtsp_base.rstrip("/") + "/"

    async def tracks(source_url: str) -> list[str] | None:
        # The recorder's URL carries this run's reader login: compare it without its credentials.
        parts = urlsplit(source_url)
        bare = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        if not bare.startswith(prefix):
            return None
        status = await mediamtx.get_stream_status(bare[len(prefix) :])
        return [str(codec) for codec in status.get("tracks") or []]

    return tracks


def mediamtx_rtmp_route(urls: PlaybackUrls) -> RtmpRoute:
    """The recorder's RTSP URL of one of this server's paths -> that path over RTMP with the reader login."""
    prefix = urls.rtsp_base.rstrip("/") + "/"

    def route(source_url: str) -> str | None:
        parts = urlsplit(source_url)
        bare = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        if not bare.startswith(prefix) or parts.query:
            return None
        return urls.reader_rtmp(bare[len(prefix) :])

    return route


def move_query_secrets(catalog: Catalog, store: SecretStore) -> None:
    """Catalogs written before query passwords were split off (`?pwd=...`) hold them in clear: move each to
    the secret store and keep the clean URL, leaving no copy of the old one in the catalog's file."""
    moved = False
    for camera in catalog.cameras():
        sources = ((False, camera.source), (True, camera.sub_stream))
        try:
            found = {sub: parse_source_url(s.url).secret_query for sub, s in sources if s is not None}
        except VidStreamError:  # a URL that no longer parses is reported when the camera starts
            continue
        if not any(found.values()):
            continue
        for sub, secret in found.items():
            if secret:
                store.set(camera_query_secret_name(camera.id, sub), secret)
        clean = {sub: parse_source_url(s.url).url for sub, s in sources if s is not None}
        catalog.save_camera(dataclasses.replace(
            camera, source=SourceUrl(clean[False], camera.source.username),
            sub_stream=SourceUrl(clean[True]) if camera.sub_stream is not None else None))  # fmt: skip
        moved = True
    if moved:
        catalog.db.erase_old_versions()


def install_namespace(data_dir: Path | None) -> uuid.UUID:
    """A random id made once per install (kept in the data folder): the demo cameras' ids derive from it, so
    two workstations sharing an archive never file each other's demo footage under their own cameras."""
    if data_dir is None:
        return uuid.uuid4()
    marker = data_dir / "install-id"
    with contextlib.suppress(FileNotFoundError, ValueError):
        return uuid.UUID(marker.read_text(encoding="utf-8").strip())
    made = uuid.uuid4()
    write_private_file(marker, f"{made}\n")
    return made


def register_demo_cameras(core: VidStreamCore, stack: EmbeddedStack) -> list[Camera]:
    """The demo cameras keep their ids across runs (their recordings stay theirs); their URLs follow this
    run's ports. Ids are per install; an install made when they were the same everywhere keeps its own."""
    cameras = []
    in_memory = str(core.catalog.path) == ":memory:"
    namespace = install_namespace(None if in_memory else core.catalog.path.parent)
    for index, synthetic in enumerate(stack.cameras):
        legacy_id = uuid.uuid5(LEGACY_DEMO_NAMESPACE, f"demo-{index + 1}")
        kept = core.catalog.camera(str(legacy_id)) is not None
        camera_id = legacy_id if kept else uuid.uuid5(namespace, f"demo-{index + 1}")
        existing = core.catalog.camera(str(camera_id))
        name = existing.name if existing else DEMO_NAMES[index % len(DEMO_NAMES)]
        retention = existing.retention if existing else Camera.create(name, synthetic.publish_url).retention
        mode = existing.recording_mode if existing else RecordingMode.CONTINUOUS
        camera = Camera(name=name, source=SourceUrl(synthetic.publish_url), id=camera_id, retention=retention,
                        recording_mode=mode)  # fmt: skip
        core.catalog.save_camera(camera)
        cameras.append(camera)
    return cameras


def default_secret_store(settings: Settings) -> SecretStore:
    return SecretStore(config_dir() / "secrets.json")


async def ensure_archive_ready(core: VidStreamCore) -> None:
    await core.storage.prepare()


def build_onvif_service(timeout: float = 10.0) -> OnvifCameraService:
    """ONVIF cameras through the onvif-zeep-async/WSDiscovery client, `timeout` seconds per device call."""
    # Imported here: zeep and aiohttp take a noticeable time to load, and most runs add no ONVIF camera.
    from video_streaming.adapters.onvif import ZeepOnvifClient

    return OnvifCameraService(ZeepOnvifClient(timeout))


def build_live_relays(ffmpeg: str = "ffmpeg") -> LiveRelays:
    """The wall's live relays: ffmpeg from the media server's RTSP (H.264: its RTMP, once the core's
    `live_rtmp_route` is set on them) into a private FIFO per tile."""
    return FFmpegLiveRelays(ffmpeg)
