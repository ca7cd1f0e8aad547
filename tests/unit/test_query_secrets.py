"""Password-like query parameters of a camera URL go to the secret store, never into the catalog, and an
external MediaMTX API is not reached over plain http to another machine unless allowed (#15)."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest

from video_streaming.bootstrap import build_core
from video_streaming.catalog import Catalog
from video_streaming.config import MediaMTXSettings, Settings, StorageSettings
from video_streaming.domain.camera import Camera, SourceUrl, mask_url, parse_source_url
from video_streaming.domain.errors import InvalidInput
from video_streaming.secrets import SecretStore

URLS = [
    "srt://cam.example:9000?streamid=read:door&passphrase=Sesame-12345",
    "rtsp://cam.example/stream?user=admin&password=Sesame-12345&channel=1",
    "rtsp://cam.example/live?PWD=Sesame-12345",
]


@pytest.mark.parametrize("url", URLS)
async def test_query_passwords_never_reach_the_catalog(url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path / "data"), demo_cameras=0,
                        storage=StorageSettings(kind="local", local_path=str(tmp_path / "archive")))  # fmt: skip
    core = build_core(settings, SecretStore(tmp_path / "secrets.json", use_keyring=False))
    try:
        added = core.add_camera("Door", url)
        assert added.is_success, added.error
        stored = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("catalog.sqlite3*"))
        assert b"Sesame-12345" not in stored, "a password in the URL's query was stored in clear in the catalog"
        camera = core.camera(str(added.value.id))
        assert "Sesame-12345" not in camera.source.url
        pulled = core.camera_source(camera).with_credentials(core.secrets.get)  # what the media server is given
        assert "Sesame-12345" in pulled, "the camera would lose its password"
        assert parse_source_url(pulled).url == camera.source.url
        assert "Sesame-12345" not in mask_url(pulled)
    finally:
        await core.mediamtx.aclose()


async def test_an_older_catalogs_query_passwords_move_to_the_secret_store(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path / "data"), demo_cameras=0,
                        storage=StorageSettings(kind="local", local_path=str(tmp_path / "archive")))  # fmt: skip
    old = Catalog(tmp_path / "data" / "catalog.sqlite3")  # as an older version wrote it
    camera = Camera("Door", SourceUrl("rtsp://cam.example/live?channel=1&pwd=Sesame-12345"))
    old.save_camera(camera)
    old.close()
    core = build_core(settings, SecretStore(tmp_path / "secrets.json", use_keyring=False))
    try:
        moved = core.camera(str(camera.id))
        assert moved.source.url == "rtsp://cam.example/live?channel=1"
        # Not in a freed page or an old WAL frame either: anyone who gets the file later gets no password.
        stored = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("catalog.sqlite3*"))
        assert b"Sesame-12345" not in stored, "the old password is still in the catalog's bytes"
        assert core.camera_source(moved).with_credentials(core.secrets.get).endswith("channel=1&pwd=Sesame-12345")
    finally:
        await core.mediamtx.aclose()


def test_an_external_mediamtx_api_over_plain_http_is_refused_unless_allowed(tmp_path: Path) -> None:
    store = SecretStore(tmp_path / "secrets.json", use_keyring=False)
    remote = MediaMTXSettings(embedded=False, host="10.0.0.7")
    settings = Settings(data_dir=str(tmp_path / "data"), demo_cameras=0, mediamtx=remote,
                        storage=StorageSettings(kind="local", local_path=str(tmp_path / "archive")))  # fmt: skip
    with pytest.raises(InvalidInput, match="plain http"):
        build_core(settings, store)
    allowed = dataclasses.replace(settings, mediamtx=dataclasses.replace(remote, allow_insecure=True))
    asyncio.run(build_core(allowed, store).mediamtx.aclose())
