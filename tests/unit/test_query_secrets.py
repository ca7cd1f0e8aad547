"""Password-like query parameters of a camera URL go to the secret store, never into the catalog (#15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from video_streaming.bootstrap import build_core
from video_streaming.config import Settings, StorageSettings
from video_streaming.domain.camera import mask_url, parse_source_url
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
        assert "Sesame-12345" in core.source_with_credentials(camera), "the camera would lose its password"
        assert parse_source_url(core.source_with_credentials(camera)).url == camera.source.url
        assert "Sesame-12345" not in mask_url(core.source_with_credentials(camera))
    finally:
        await core.mediamtx.aclose()
