"""Camera URLs, credentials, names and archive keys: fuzzed with hypothesis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from video_streaming.domain.camera import (
    Camera,
    mask_url,
    parse_segment_file_name,
    parse_source_url,
    recording_prefix,
    segment_file_name,
    segment_key,
    slugify,
    validate_camera_name,
)
from video_streaming.domain.errors import InvalidInput

SAFE_KEY = __import__("re").compile(r"[a-z0-9][a-z0-9\-]*/\d{4}/\d{2}/\d{2}/[0-9a-f\-]{36}/\d{8}T\d{6}Z-\d+\.mp4")


def test_credentials_are_split_off_and_masked() -> None:
    source = parse_source_url("rtsp://admin:s3cr%40t@192.168.1.100:554/stream1")
    assert source.url == "rtsp://192.168.1.100:554/stream1"
    assert (source.username, source.password) == ("admin", "s3cr@t")
    assert "s3cr" not in source.masked() and "admin:***@" in source.masked()
    assert source.with_credentials() == "rtsp://admin:s3cr%40t@192.168.1.100:554/stream1"


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "not a url", "ftp://host/x", "rtsp://", "rtsp://host:99999/x", "rtsp://ho st/x",
     "rtsp://host/x\ny", "file:///etc/passwd", "rtsp://host:0/x", "rtsp://" + "a" * 3000, "javascript:alert(1)",
     "rtsp://host/$(reboot)`id`; rm -rf /"],
)  # fmt: skip
def test_bad_camera_urls_get_a_clear_error(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_source_url(bad)
    assert caught.value.message


def test_mask_url_hides_passwords_in_free_text() -> None:
    text = "failed rtsp://bob:hunter2@cam/s and srt://h:1?streamid=read:x&passphrase=topsecret"
    masked = mask_url(text)
    assert "hunter2" not in masked and "topsecret" not in masked
    assert "bob:***@cam" in masked


@given(
    user=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30),
    password=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30),
)
def test_passwords_never_survive_masking(user: str, password: str) -> None:
    from urllib.parse import quote

    url = f"rtsp://{quote(user, safe='')}:{quote(password, safe='')}@cam.local:554/s"
    source = parse_source_url(url)
    assert (source.username, source.password) == (user, password)
    assert quote(password, safe="") not in source.masked().split("@")[0].split(":", 2)[-1]
    assert "***" in source.masked()


@given(st.text(max_size=200))
def test_url_parser_never_crashes_with_anything_but_invalid_input(raw: str) -> None:
    try:
        source = parse_source_url(raw)
    except InvalidInput:
        return
    assert "\n" not in source.url and " " not in source.url


@given(st.text(max_size=10_000))
def test_camera_names_are_validated_and_slugs_are_safe(raw: str) -> None:
    try:
        name = validate_camera_name(raw)
    except InvalidInput:
        return
    slug = slugify(name)
    assert slug and len(slug) <= 40
    assert all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in slug)
    assert ".." not in slug and "/" not in slug


@given(name=st.text(min_size=1, max_size=64), start=st.datetimes(timezones=st.just(UTC)), attempt=st.integers(0, 99))
def test_segment_keys_are_safe_for_any_camera_name(name: str, start: datetime, attempt: int) -> None:
    try:
        camera = Camera.create(name, "rtsp://cam/s")
    except InvalidInput:
        return
    recording_id = uuid.uuid4()
    file_name = segment_file_name(start, attempt)
    key = segment_key(camera.key, recording_id, start, file_name)
    assert SAFE_KEY.fullmatch(key), key
    assert key.startswith(recording_prefix(camera.key, recording_id, start))
    parsed = parse_segment_file_name(file_name)
    assert parsed is not None and parsed[0] == start.replace(microsecond=0) and parsed[1] == attempt


def test_cameras_with_colliding_names_get_distinct_keys() -> None:
    first, second = Camera.create("Front door", "rtsp://a/s"), Camera.create("front  DOOR!", "rtsp://b/s")
    assert slugify(first.name) == slugify(second.name)
    assert first.key != second.key


@pytest.mark.parametrize("bad", ["../../etc", "a/b", "x\x00y", "", " ", "n" * 65])
def test_hostile_camera_names_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        validate_camera_name(bad)
