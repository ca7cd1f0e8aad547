"""Free loopback ports for servers started by the app and by tests."""

from __future__ import annotations

import socket
import threading
from collections import deque

# The kernel may give the same free port to two binds in a row once the first socket is closed: a server
# whose four listeners were allocated one after another then got one port twice ("bind: address already in
# use" on its own port). Ports handed out recently are not handed out again.
_RECENT = deque[tuple[int, int]](maxlen=512)
_LOCK = threading.Lock()
_TRIES = 64


def _free_port(kind: socket.SocketKind, host: str) -> int:
    with _LOCK:
        for _ in range(_TRIES):
            with socket.socket(socket.AF_INET, kind) as sock:
                sock.bind((host, 0))
                port = int(sock.getsockname()[1])
            if (kind, port) not in _RECENT:
                _RECENT.append((kind, port))
                return port
    raise OSError(f"no free {kind.name} port on {host} that was not just handed out")


def free_tcp_port(host: str = "127.0.0.1") -> int:
    return _free_port(socket.SOCK_STREAM, host)


def free_udp_port(host: str = "127.0.0.1") -> int:
    return _free_port(socket.SOCK_DGRAM, host)


def is_listening(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
