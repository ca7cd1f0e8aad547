"""Cameras and their secrets: add, edit, forget, and the URL a camera is pulled from.

A camera's password (and any password-like query parameter of its URL) lives in the secret store, never in
the catalog; it is joined to the URL only here, for the media server, and never logged."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from video_streaming.announcer import Announcer
from video_streaming.catalog import Catalog
from video_streaming.domain.camera import Camera, RecordingMode, SourceUrl, parse_source_url
from video_streaming.domain.errors import InvalidInput, NotFound, VidStreamError
from video_streaming.domain.result import Result
from video_streaming.secrets import SecretStore
from video_streaming.service import PlaybackUrls
from video_streaming.sites import RemoteSite

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishLogin:
    """A camera pushing into this machine's MediaMTX may publish on `path`, and nowhere else."""

    user: str
    password: str = field(repr=False)
    path: str


PublishersChanged = Callable[[list[PublishLogin]], Awaitable[None]]


def camera_secret_name(camera_id: uuid.UUID | str) -> str:
    return f"camera-password:{camera_id}"


def camera_query_secret_name(camera_id: uuid.UUID | str, sub_stream: bool = False) -> str:
    """Password-like query parameters of a camera's URL (`pwd=`, `passphrase=`...), kept as a secret."""
    return f"camera-query{'-sub' if sub_stream else ''}:{camera_id}"


class CameraRegistry:
    def __init__(
        self, catalog: Catalog, secrets: SecretStore, urls: PlaybackUrls, announcer: Announcer,
        sites: Mapping[str, RemoteSite],
    ) -> None:  # fmt: skip
        self.catalog = catalog
        self.secrets = secrets
        self.urls = urls
        self.announcer = announcer
        self.sites = sites
        # Set by bootstrap for an app-owned MediaMTX: gives each camera that pushes into it a login of its own.
        self.publishers_changed: PublishersChanged | None = None
        self._publishers: list[PublishLogin] = []

    def cameras(self) -> list[Camera]:
        return self.catalog.cameras()

    def camera(self, camera_id: str) -> Camera:
        camera = self.catalog.camera(camera_id)
        if camera is None:
            raise NotFound(f"no camera with id {camera_id}")
        return camera

    def name_of(self, camera_id: str) -> str:
        """The camera's name for a message (its id when it is gone)."""
        camera = self.catalog.camera(camera_id)
        return camera.name if camera else camera_id

    def site_name(self, camera: Camera) -> str:
        site = self.sites.get(camera.site)
        return site.name if site is not None else camera.site

    def save(self, camera: Camera, password: str | None = None) -> None:
        """Store a camera; its password goes to the secret store, never to the catalog."""
        if password is not None:
            if password:
                self.secrets.set(camera_secret_name(camera.id), password)
            else:
                self.secrets.delete(camera_secret_name(camera.id))
        # A URL shown for editing has no query password, so one that is absent from an edited URL is kept.
        for sub, source in ((False, camera.source), (True, camera.sub_stream)):
            if source is not None and source.secret_query:
                self.secrets.set(camera_query_secret_name(camera.id, sub), source.secret_query)
        self.catalog.save_camera(camera)
        self.announcer.changed("camera", str(camera.id))

    def add(
        self, name: str, url: str, *, sub_stream_url: str | None = None, retention_days: int = 30,
        camera_id: uuid.UUID | None = None, username: str = "", password: str | None = None,
    ) -> Result[Camera]:  # fmt: skip
        """`url` may carry user:password; they are split off and the password kept as a secret. A `username`
        or `password` given apart (the dialog's fields, a prompt, stdin) takes the place of one in the URL."""
        try:
            camera = Camera.create(name, url, sub_stream_url=sub_stream_url, retention_days=retention_days,
                                   camera_id=camera_id)  # fmt: skip
            secret = password if password is not None else camera.source.password
            if username:
                camera = replace(camera, source=replace(camera.source, username=username))
            self.save(camera, secret)
            # What the caller gets back holds no secret (the password and any secret query stay in the store).
            camera = replace(camera, source=SourceUrl(camera.source.url, camera.source.username))
        except VidStreamError as error:
            return Result.from_exception(error)
        self.catalog.audit("operator", "camera-add", str(camera.id), camera.name)
        return Result.ok(camera)

    def edit(
        self, camera_id: str, *, name: str, url: str, username: str = "", password: str | None = None,
        sub_stream_url: str = "", retention_days: int = 30, recording_mode: RecordingMode | None = None,
    ) -> Result[Camera]:  # fmt: skip
        """Change a camera as its dialog does (the name normalised as on add); `password` None keeps the
        stored one, "" forgets it. A site's camera belongs to its recorder and is refused."""
        try:
            camera = self.camera(camera_id)
            if camera.site:
                raise InvalidInput(f"{camera.name} belongs to site {self.site_name(camera)}",
                                   "change it on that site's recorder")  # fmt: skip
            updated = camera.edited(name=name, source_url=url, username=username, sub_stream_url=sub_stream_url,
                                    retention_days=retention_days,
                                    recording_mode=recording_mode or camera.recording_mode)  # fmt: skip
            self.save(updated, password)
        except VidStreamError as error:
            return Result.from_exception(error)
        self.catalog.audit("operator", "camera-edit", camera_id, updated.name)
        return Result.ok(updated)

    def forget(self, camera_id: str) -> None:
        """Remove the camera and its secrets (its recordings stay, filed under it)."""
        self.secrets.delete(camera_secret_name(camera_id))
        for sub in (False, True):
            self.secrets.delete(camera_query_secret_name(camera_id, sub))
        self.catalog.remove_camera(camera_id)
        self.catalog.audit("operator", "camera-remove", camera_id)
        self.announcer.changed("camera", camera_id)

    def credentials(self, camera_id: str) -> tuple[str, str]:
        """The camera's user and password (the password from the secret store), for an ONVIF login."""
        camera = self.camera(camera_id)
        return camera.source.username, self.secrets.get(camera_secret_name(camera.id)) or ""

    @staticmethod
    def unsaved_source(url: str, username: str, password: str) -> SourceUrl:
        """A camera not yet saved (the dialog's test): its address, and the login given beside it (or in it)."""
        source = parse_source_url(url)
        return SourceUrl(source.url, username or source.username, password or source.password, source.secret_query)

    def source(self, camera: Camera, sub_stream: bool = False) -> SourceUrl:
        """What the media server pulls: the camera's address and the names of its stored secrets (the
        MediaMTX adapter resolves and joins them, nothing else does)."""
        source = camera.sub_stream if sub_stream and camera.sub_stream else camera.source
        if self.urls.serves(source.url):  # a camera pushing into our server: pulled with our own reader login
            return SourceUrl(source.url, self.urls.reader_user, self.urls.reader_password)
        return SourceUrl(source.url, source.username or camera.source.username,
                         password_secret=camera_secret_name(camera.id),
                         query_secret=camera_query_secret_name(camera.id, source is camera.sub_stream))  # fmt: skip

    def publish_logins(self) -> list[PublishLogin]:
        """Cameras that push into this machine's server, each allowed to publish on its own path only, with
        the user and password of its URL. One without a password is refused by the server (and logged)."""
        logins = []
        for camera in self.cameras():
            if camera.site or not self.urls.serves(camera.source.url):
                continue
            password = self.secrets.get(camera_secret_name(camera.id)) or ""
            path = urlsplit(camera.source.url).path.lstrip("/")
            if camera.source.username and password and path:
                logins.append(PublishLogin(camera.source.username, password, path))
            else:
                log.info("camera %s pushes into this server without a user and password: it cannot publish",
                         camera.name)  # fmt: skip
        return logins

    async def sync_publishers(self) -> None:
        if self.publishers_changed is None:
            return
        logins = self.publish_logins()
        if logins != self._publishers:
            await self.publishers_changed(logins)
            self._publishers = logins
