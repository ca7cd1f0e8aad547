"""Multi-site pieces that need no server: [[sites]] settings, the camera directory a recorder publishes (read
from an archive, so untrusted and fuzzed), and the routing of `@site/` keys to each site's archive."""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unit.fakes import FakeStorage
from video_streaming.adapters.site_storage import PrefixedStorage, SiteRoutedStorage, normalise_prefix
from video_streaming.catalog import Catalog, parse_archive_key
from video_streaming.config import parse_settings
from video_streaming.domain.camera import Camera
from video_streaming.domain.errors import InvalidInput, NotFound, ServerUnreachable
from video_streaming.domain.stream import Stream
from video_streaming.ports import StoredObject
from video_streaming.sites import DIRECTORY_KEY, DirectoryPublisher, SiteDirectory, directory_of

SITE = """
[[sites]]
name = "Warehouse"
api_url = "https://recorder-a.example:9997"
api_user = "viewer"
bucket = "footage"
prefix = "warehouse/"
access_key = "AKIA"
"""


def test_sites_parse_with_their_defaults() -> None:
    settings = parse_settings(SITE + SITE.replace("Warehouse", "Harbour").replace("warehouse/", "harbour/"))
    assert [site.name for site in settings.sites] == ["Warehouse", "Harbour"]
    assert [site.key for site in settings.sites] == ["warehouse", "harbour"]
    assert settings.sites[0].srt_port == 8890 and settings.sites[0].prefix == "warehouse/"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (SITE + SITE, "two sites are named"),
        (SITE.replace('name = "Warehouse"', 'name = ""'), "needs a name"),
        (SITE.replace("https://recorder-a.example:9997", "recorder-a:9997"), "api_url"),
        (SITE.replace('bucket = "footage"', ""), "bucket is missing"),
        (SITE + "srt_port = 70000\n", "out of range"),
        (SITE + "password = 'x'\n", "unknown setting"),
        ("sites = 3", "list of"),
    ],
)
def test_bad_sites_get_a_clear_error(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        parse_settings(text)


def camera_entry(**overrides: object) -> dict[str, object]:
    entry: dict[str, object] = {"id": str(uuid.uuid4()), "name": "Dock", "key": "dock-1234abcd"}
    entry |= {"path": str(uuid.uuid4()), "sub_path": "", "recording": True, "retention_days": 7}
    entry.update(overrides)
    return entry


def document(*cameras: dict[str, object]) -> bytes:
    return json.dumps({"format": 1, "updated_at": "2026-11-26T10:00:00+00:00", "cameras": list(cameras)}).encode()


def test_a_directory_round_trips() -> None:
    camera = Camera.create("Loading dock", "rtsp://10.0.0.5/stream")
    stream = Stream(camera_id=str(camera.id), source_url="rtsp://10.0.0.5/stream")
    stream.start()
    stream.mark_running()
    directory = directory_of([camera], {str(camera.id): stream}, {}, {str(camera.id)})
    parsed = SiteDirectory.from_json(directory.to_json())
    assert parsed.content() == directory.content()
    (entry,) = parsed.cameras
    assert (entry.id, entry.key, entry.path, entry.recording) == (camera.id, camera.key, str(stream.id), True)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xff\xfe", "not valid JSON"),
        (b"[]", "unknown format"),
        (json.dumps({"format": 2, "cameras": []}).encode(), "unknown format"),
        (document(camera_entry(id="../../etc/passwd")), "no valid id"),
        (document(camera_entry(key="../other-site")), "unsafe archive key"),
        (document(camera_entry(path="cam1; rm -rf /")), "unexpected media path"),
        (document(camera_entry(name="a/b")), "slashes"),
        (document(camera_entry(name="x" * 10_000)), "too long"),
        (b" " * (5 * 2**20), "too large"),
    ],
)
def test_a_hostile_directory_is_refused_with_a_reason(data: bytes, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        SiteDirectory.from_json(data)


@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_the_directory_parser_never_fails_with_anything_but_invalid_input(data: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        SiteDirectory.from_json(data)


def test_site_cameras_are_not_published_again_by_a_workstation() -> None:
    own = Camera.create("Lobby", "rtsp://10.0.0.6/s")
    remote = Camera(name="Harbour · Gate", source=own.source, site="harbour")
    assert [c.name for c in directory_of([own, remote], {}, {}, set()).cameras] == ["Lobby"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("", ""), ("site-a", "site-a/"), ("/site-a/", "site-a/"), ("a/b/", "a/b/")]
)
def test_prefixes_are_normalised(raw: str, expected: str) -> None:
    assert normalise_prefix(raw) == expected


@pytest.mark.parametrize("raw", ["../x", "a//b", "a/./b", "@site"])
def test_unsafe_prefixes_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_prefix(raw)


async def test_keys_are_routed_to_the_archive_they_belong_to(tmp_path: Path) -> None:
    local, warehouse_bucket = FakeStorage(), FakeStorage()
    routed = SiteRoutedStorage(local, {"warehouse": PrefixedStorage(warehouse_bucket, "warehouse/")})
    source = tmp_path / "segment.mp4"
    source.write_bytes(b"frames")
    await routed.upload_file(str(source), "lobby-1/2026/11/26/r/x.mp4")
    await routed.upload_file(str(source), "@warehouse/dock-2/2026/11/26/r/y.mp4")
    assert set(local.objects) == {"lobby-1/2026/11/26/r/x.mp4"}
    assert set(warehouse_bucket.objects) == {"warehouse/dock-2/2026/11/26/r/y.mp4"}
    assert [o.key for o in await routed.list_files("")] == ["lobby-1/2026/11/26/r/x.mp4"]
    assert [o.key for o in await routed.list_site("warehouse")] == ["@warehouse/dock-2/2026/11/26/r/y.mp4"]
    assert await routed.get_file_url("@warehouse/dock-2/2026/11/26/r/y.mp4") == (
        "fake://warehouse/dock-2/2026/11/26/r/y.mp4?expires=3600"
    )
    stat = await routed.stat_file("@warehouse/dock-2/2026/11/26/r/y.mp4")
    assert stat is not None and stat.key == "@warehouse/dock-2/2026/11/26/r/y.mp4"
    await routed.delete_file("@warehouse/dock-2/2026/11/26/r/y.mp4")
    assert warehouse_bucket.objects == {} and local.objects
    with pytest.raises(NotFound, match="not configured"):
        await routed.get_file_url("@nowhere/a/b.mp4")


class DownStorage(FakeStorage):
    async def list_files(self, prefix: str = "") -> list[StoredObject]:
        raise ServerUnreachable("cannot reach the archive")


async def test_a_site_that_is_down_does_not_hide_the_others() -> None:
    local, up = FakeStorage(), FakeStorage()
    up.objects["cam-1/2026/11/26/r/x.mp4"] = b"x"
    routed = SiteRoutedStorage(local, {"up": up, "down": DownStorage()})
    found, errors = await routed.list_everywhere()
    assert [o.key for o in found] == ["@up/cam-1/2026/11/26/r/x.mp4"]
    assert list(errors) == ["down"] and "cannot reach" in str(errors["down"])


def test_marked_keys_merge_under_the_site_camera(tmp_path: Path) -> None:
    recording_id = uuid.uuid4()
    key = f"@warehouse/dock-1234abcd/2026/11/26/{recording_id}/20261126T100000Z-0.mp4"
    parsed = parse_archive_key(key)
    assert parsed is not None and parsed.camera_key == "dock-1234abcd"
    assert parsed.prefix == f"@warehouse/dock-1234abcd/2026/11/26/{recording_id}/"
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    merge = catalog.merge_archive_listing([StoredObject(key, 10, "")])
    assert merge.recordings == [str(recording_id)]
    row = catalog.recording(recording_id)
    assert row is not None and row.storage_prefix.startswith("@warehouse/")


async def test_the_directory_is_published_only_when_it_changes(tmp_path: Path) -> None:
    archive = FakeStorage()
    publisher = DirectoryPublisher(archive, tmp_path, refresh_seconds=300)
    directory = directory_of([Camera.create("Lobby", "rtsp://10.0.0.6/s")], {}, {}, set())
    assert await publisher.publish(directory, now=0)
    assert not await publisher.publish(directory, now=10)
    assert await publisher.publish(directory, now=301)  # a periodic refresh: the recorder is alive
    assert SiteDirectory.from_json(archive.objects[DIRECTORY_KEY]).content() == directory.content()
    assert not list(tmp_path.glob("*.json")), "the temporary file is removed"
