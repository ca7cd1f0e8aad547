"""Free ports: one allocation never hands out a port twice, even when the kernel offers it again."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from video_streaming.runtime import ports


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=2, max_value=40))
def test_ports_handed_out_one_after_another_are_all_different(count: int) -> None:
    tcp = [ports.free_tcp_port() for _ in range(count)]
    assert len(set(tcp)) == count
    udp = [ports.free_udp_port() for _ in range(count)]
    assert len(set(udp)) == count


def test_a_port_the_kernel_offers_again_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    offered = iter([50001, 50001, 50002])

    class Socket(socket.socket):
        def getsockname(self) -> tuple[str, int]:
            return ("127.0.0.1", next(offered))

    monkeypatch.setattr(ports.socket, "socket", Socket)
    monkeypatch.setattr(ports, "_RECENT", type(ports._RECENT)(maxlen=8))
    assert [ports.free_tcp_port(), ports.free_tcp_port()] == [50001, 50002]
