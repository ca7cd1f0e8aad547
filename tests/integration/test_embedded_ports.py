"""The app's MediaMTX starts even when a port it was given is taken before it binds it (real MediaMTX)."""

from __future__ import annotations

import socket
from pathlib import Path

from video_streaming.bootstrap import start_mediamtx
from video_streaming.runtime.mediamtx_server import MediaMTXEndpoints


def test_a_port_taken_meanwhile_is_replaced_and_the_server_starts(tmp_path: Path) -> None:
    endpoints = MediaMTXEndpoints.allocate()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", endpoints.rtsp_port))  # another program got there first
        squatter.listen()
        server = start_mediamtx(tmp_path / "mediamtx", endpoints, [])
        try:
            assert server.process.running
            assert server.endpoints.rtsp_port != endpoints.rtsp_port
            assert server.endpoints.api_password == endpoints.api_password
        finally:
            server.stop()
