"""The TOML configuration parser: clear errors for anything wrong, fuzzed."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from video_streaming.config import parse_settings
from video_streaming.domain.errors import InvalidInput


def test_a_full_configuration_parses() -> None:
    settings = parse_settings(
        """
        demo_cameras = 0
        [mediamtx]
        embedded = false
        host = "nvr.example"
        api_port = 9997
        username = "api"
        [storage]
        kind = "s3"
        endpoint_url = "https://s3.example"
        bucket = "footage"
        access_key = "AKIA"
        [recording]
        segment_seconds = 30
        pre_roll_seconds = 8
        """
    )
    assert settings.recording.pre_roll_seconds == 8 and settings.recording.post_roll_seconds == 10
    assert settings.mediamtx.host == "nvr.example" and not settings.mediamtx.embedded
    assert settings.storage.bucket == "footage" and settings.recording.segment_seconds == 30


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[mediamtx\nhost='x'", "not valid TOML"),
        ("[mediamtx]\nport = 1", "unknown setting"),
        ("[mediamtx]\napi_port = 'x'", "must be int"),
        ("[recording]\nsegment_seconds = 1", "segment_seconds"),
        ("[storage]\nkind = 'ftp'", "storage kind"),
        ("surprise = 1", "unknown setting"),
        ("demo_cameras = 99", "demo_cameras"),
        ("[recording]\npre_roll_seconds = -1", "pre-roll"),
        ("[recording]\npost_roll_seconds = 1000", "post-roll"),
    ],
)
def test_bad_configuration_gets_a_clear_error(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        parse_settings(text)


@given(st.text(max_size=500))
def test_the_parser_never_fails_with_anything_but_invalid_input(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        parse_settings(text)
