"""Demo camera ids are per install (#15): the same on every run of one install, different between two
installs that share an archive, and an install from when they were the same everywhere keeps its ids."""

from __future__ import annotations

import uuid
from pathlib import Path

from video_streaming.bootstrap import LEGACY_DEMO_NAMESPACE, EmbeddedStack, build_core, register_demo_cameras
from video_streaming.catalog import Catalog
from video_streaming.config import Settings, StorageSettings
from video_streaming.domain.camera import Camera, SourceUrl
from video_streaming.runtime.synthetic_camera import SyntheticCamera
from video_streaming.secrets import SecretStore


async def demo_ids(data: Path) -> list[str]:
    settings = Settings(data_dir=str(data), demo_cameras=0,
                        storage=StorageSettings(kind="local", local_path=str(data / "archive")))  # fmt: skip
    core = build_core(settings, SecretStore(data / "secrets.json", use_keyring=False))
    stack = EmbeddedStack(None, None, [SyntheticCamera(f"rtsp://127.0.0.1:8554/demo/cam{n}", data / f"{n}.log")
                                       for n in (1, 2)])  # fmt: skip
    try:
        return [str(camera.id) for camera in register_demo_cameras(core, stack)]
    finally:
        await core.mediamtx.aclose()


async def test_demo_ids_are_kept_per_install_and_differ_between_installs(tmp_path: Path) -> None:
    first = await demo_ids(tmp_path / "one")
    assert first == await demo_ids(tmp_path / "one"), "a demo camera's recordings must stay its own"
    other = await demo_ids(tmp_path / "two")
    assert len(set(first) | set(other)) == 4, "two installs share a demo camera id"
    assert (tmp_path / "one" / "install-id").stat().st_mode & 0o077 == 0


async def test_an_install_with_the_old_shared_ids_keeps_them(tmp_path: Path) -> None:
    legacy = uuid.uuid5(LEGACY_DEMO_NAMESPACE, "demo-1")
    catalog = Catalog(tmp_path / "data" / "catalog.sqlite3")
    catalog.save_camera(Camera("Lobby", SourceUrl("rtsp://127.0.0.1:8554/demo/cam1"), id=legacy))
    catalog.close()
    ids = await demo_ids(tmp_path / "data")
    assert ids[0] == str(legacy) and ids[1] != str(uuid.uuid5(LEGACY_DEMO_NAMESPACE, "demo-2"))
