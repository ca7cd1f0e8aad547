"""Shared fixtures: real MediaMTX, MinIO and synthetic cameras (see tests/fixtures/servers.py)."""

import os

# Test machines have no sound card: keep libvlc from trying ALSA for every tile.
os.environ.setdefault("VIDSTREAM_VLC_ARGS", "--aout=dummy")

from tests.fixtures.core import core_factory, qt_core_factory  # noqa: F401
from tests.fixtures.main_window import window  # noqa: F401 - a file may define its own
from tests.fixtures.qt import qasync_loop  # noqa: F401
from tests.fixtures.servers import (  # noqa: F401 - pytest discovers fixtures by name
    camera,
    camera_factory,
    mediamtx,
    minio,
    minio_server,
    private_minio,
)
from tests.fixtures.sites import two_sites  # noqa: F401
