"""What the app's own files and children get (#15): private folders and logs, also on an older install
whose umask left them open, and a child environment without secrets that keeps loopback off any proxy."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from video_streaming.log_setup import configure_logging
from video_streaming.private_files import child_environment, private_dir, write_private_file


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Files made as an older version (umask 022) made them."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_older_installs_open_folder_is_tightened_and_a_new_one_is_private(tmp_path: Path, open_umask: None) -> None:
    cache = tmp_path / "data" / "cache" / "segments"  # e.g. the download cache
    cache.mkdir(parents=True)
    assert mode(cache) == 0o755
    private_dir(cache)
    assert mode(cache) == 0o700
    fresh = private_dir(tmp_path / "data" / "new")
    assert mode(fresh) == 0o700


def test_logs_are_private_from_their_creation_and_old_ones_are_tightened(tmp_path: Path, open_umask: None) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    old = logs / "vidstream.log.1"
    old.write_text("yesterday\n")
    assert mode(old) == 0o644
    log_file = logs / "vidstream.log"
    try:
        configure_logging(log_file=log_file)
        logging.getLogger("vidstream.test").warning("a line")
        assert mode(logs) == 0o700 and mode(log_file) == 0o600 and mode(old) == 0o600
        assert "a line" in log_file.read_text()
    finally:
        configure_logging()  # let go of the file


def test_children_get_no_secrets_and_loopback_bypasses_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDSTREAM_SECRET_S3_SECRET_KEY", "secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("http_proxy", "http://proxy.example:3128")
    monkeypatch.setenv("no_proxy", "cameras.example")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("CAMERA_TOKEN", "secret")  # a secret of any other name: children get an allowlist
    monkeypatch.setenv("MTX_AUTHINTERNALUSERS_0_USER", "any")  # MediaMTX would take it over its config
    monkeypatch.setenv("LC_TIME", "pt_BR.UTF-8")
    environment = child_environment({"TZ": "UTC"})
    assert "secret" not in environment.values() and "MTX_AUTHINTERNALUSERS_0_USER" not in environment
    assert environment["PATH"] == os.environ["PATH"] and environment["LC_TIME"] == "pt_BR.UTF-8"
    assert environment["http_proxy"] == "http://proxy.example:3128", "remote hosts keep the operator's proxy"
    for name in ("no_proxy", "NO_PROXY"):
        assert environment[name].split(",") == ["cameras.example", "127.0.0.1", "localhost", "::1"]
    assert environment["TZ"] == "UTC"


def test_a_private_file_is_0600_from_its_creation_not_chmodded_after(
    tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under an open umask the new content is already 0600 before it takes the file's name, and it is a new
    inode: a reader holding the old file never sees the new secrets."""
    target = tmp_path / "config.json"
    target.write_text("old")
    old_inode = target.stat().st_ino
    seen: list[int] = []
    real_replace = os.replace

    def replace(source: str | Path, destination: str | Path) -> None:
        seen.append(mode(Path(source)))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    write_private_file(target, "new secret")
    assert seen == [0o600], "the content was open to others before it was renamed into place"
    assert mode(target) == 0o600 and target.read_text() == "new secret" and target.stat().st_ino != old_inode
