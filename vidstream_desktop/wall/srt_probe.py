"""A one-handshake check that an SRT stream can be read, made with libsrt before libvlc is let loose.

Why: libvlc 3's SRT access retries a refused connection every ~10 ms, forever, inside the input thread.
MediaMTX refuses readers of a path nobody publishes, so a tile pointed at an offline camera hammers the
server with handshakes, and `MediaPlayer.stop()` in that state can hang until the camera comes back
(the interrupt races with the reconnect). One handshake of our own answers "would VLC get a stream?"
in about a millisecond on a LAN, so libvlc is only started when the answer is yes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import socket
import struct
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from urllib.parse import parse_qs, urlsplit

# From libsrt's srt.h (stable since 1.3).
SRTO_PASSPHRASE = 26
SRTO_CONNTIMEO = 36
SRTO_STREAMID = 46
SRT_REJ_TIMEOUT = 16
SRT_LOG_CRIT = 2  # syslog level numbers


class ProbeOutcome(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"  # the server answered no: nothing published there, or not allowed to read it
    UNREACHABLE = "unreachable"  # nobody answered
    NOT_PROBED = "not-probed"  # libsrt is not available here; let libvlc try


@dataclass(frozen=True)
class ProbeResult:
    outcome: ProbeOutcome
    detail: str = ""
    took_ms: float = 0.0


@cache
def load_libsrt() -> ctypes.CDLL | None:
    """The libsrt that libvlc's SRT plugin links against, when it can be found (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    for name in ("srt-gnutls", "srt-openssl", "srt"):
        found = ctypes.util.find_library(name)
        if not found:
            continue
        try:
            lib = ctypes.CDLL(found)
            lib.srt_rejectreason_str.restype = ctypes.c_char_p
        except (OSError, AttributeError):
            continue
        # libsrt logs every refused handshake to stderr and libvlc offers no switch for it.
        lib.srt_setloglevel(ctypes.c_int(SRT_LOG_CRIT))
        return lib
    return None


def _sockaddr(host: str, port: int) -> bytes:
    """A raw Linux sockaddr_in / sockaddr_in6 for libsrt (which takes a `struct sockaddr *`)."""
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
    ip = str(address[0])
    if family == socket.AF_INET6:
        scope_id = int(address[3]) if len(address) == 4 else 0
        packed = socket.inet_pton(socket.AF_INET6, ip)
        return struct.pack("=H", family) + struct.pack("!HI", port, 0) + packed + struct.pack("=I", scope_id)
    return struct.pack("=H", family) + struct.pack("!H", port) + socket.inet_pton(socket.AF_INET, ip) + bytes(8)


def probe_srt(url: str, timeout_ms: int = 3000) -> ProbeResult:
    """Blocking: connect to `url` (srt://host:port?streamid=...), report whether it was accepted, close."""
    lib = load_libsrt()
    if lib is None:
        return ProbeResult(ProbeOutcome.NOT_PROBED)
    parts = urlsplit(url)
    if parts.scheme != "srt" or not parts.hostname or not parts.port:
        return ProbeResult(ProbeOutcome.NOT_PROBED, "not an srt://host:port address")
    query = parse_qs(parts.query)
    started = time.monotonic()
    try:
        address = _sockaddr(parts.hostname, parts.port)
    except OSError as error:
        return ProbeResult(ProbeOutcome.UNREACHABLE, f"cannot resolve {parts.hostname}: {error}")
    # libsrt counts startups; pairing each with a cleanup lets it shut its threads down once libvlc's
    # SRT plugin is done too. A library left started at exit races its own static destructor (a crash).
    lib.srt_startup()
    try:
        return _handshake(lib, address, query, timeout_ms, started)
    finally:
        lib.srt_cleanup()


def _handshake(
    lib: ctypes.CDLL, address: bytes, query: dict[str, list[str]], timeout_ms: int, started: float
) -> ProbeResult:
    sock = lib.srt_create_socket()
    if sock < 0:
        return ProbeResult(ProbeOutcome.NOT_PROBED, "libsrt could not create a socket")
    try:
        timeout = ctypes.c_int(timeout_ms)
        lib.srt_setsockflag(sock, SRTO_CONNTIMEO, ctypes.byref(timeout), ctypes.sizeof(timeout))
        for option, key in ((SRTO_STREAMID, "streamid"), (SRTO_PASSPHRASE, "passphrase")):
            if query.get(key):
                value = query[key][0].encode()
                lib.srt_setsockflag(sock, option, ctypes.c_char_p(value), len(value))
        buffer = ctypes.create_string_buffer(address, len(address))
        connected = lib.srt_connect(sock, buffer, len(address)) == 0
        reason = int(lib.srt_getrejectreason(sock))
        reason_text = (lib.srt_rejectreason_str(reason) or b"").decode(errors="replace")
    finally:
        lib.srt_close(sock)
    took_ms = (time.monotonic() - started) * 1000
    if connected:
        return ProbeResult(ProbeOutcome.ACCEPTED, "", took_ms)
    if reason == SRT_REJ_TIMEOUT:
        return ProbeResult(ProbeOutcome.UNREACHABLE, reason_text, took_ms)
    return ProbeResult(ProbeOutcome.REFUSED, reason_text, took_ms)


# Probes block for up to their timeout when a server is down; a few threads keep one slow server from
# delaying the probes of every other tile.
_executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="srt-probe")


def probe_srt_async(url: str, timeout_ms: int = 3000) -> Future[ProbeResult]:
    return _executor.submit(probe_srt, url, timeout_ms)
