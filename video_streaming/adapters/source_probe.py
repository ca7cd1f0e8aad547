"""Why does a camera URL give no media? MediaMTX v1.20 keeps the reason a pull fails to its log (its API
shows only "not ready"), so after a failed start one short exchange with the source itself, in the
protocol its URL names, tells a refused port from a silent one and a web page from a video stream.

Every step has a deadline; nothing here retries. Messages name host:port only, never credentials."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
from urllib.parse import SplitResult, urlsplit

import httpx

from video_streaming.ports import Diagnosis

DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "rtmp": 1935, "rtmps": 443, "http": 80, "https": 443}
RTSP_PORT_HINT = "use the camera's RTSP URL (its RTSP port is often 554)"
RTMP_PORT_HINT = "use the RTMP URL of the stream (its port is often 1935)"
HLS_HINT = "use the camera's stream URL: an HLS playlist (ending in .m3u8) or its RTSP URL"


def _preview(data: bytes) -> str:
    text = data[:24].decode("ascii", "replace")
    return "".join(ch if ch.isprintable() and ch != "\ufffd" else "." for ch in text)


async def diagnose_source(source_url: str, timeout: float = 2.0) -> Diagnosis | None:
    """What keeps `source_url` from giving media, or None when the source seems to speak its protocol (the
    reason is elsewhere: a path, codec or credentials MediaMTX has to judge). UDP and SRT are not probed."""
    parts = urlsplit(source_url)
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS.get(scheme)
    if not parts.hostname or port is None:
        return None
    where = f"{parts.hostname}:{port}"
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(parts.hostname, port)
    except TimeoutError:
        return Diagnosis(f"{where} does not answer (no connection within {timeout:.0f} s)",
                         "check that the camera is on the network and that no firewall blocks the port")  # fmt: skip
    except ConnectionRefusedError:
        return Diagnosis(f"nothing accepts connections at {where}", "check the camera's address and port, "
                         "and that it is switched on")  # fmt: skip
    except socket.gaierror:
        return Diagnosis(f"the host name {parts.hostname!r} cannot be resolved",
                         "check the host name, or use the camera's IP address")  # fmt: skip
    except OSError as error:
        return Diagnosis(f"cannot connect to {where}: {error.strerror or error}", "check the camera's address")
    try:
        if scheme == "rtsp":
            return await _converse(reader, writer, where, "RTSP", _rtsp_options(parts), b"RTSP/", RTSP_PORT_HINT,
                                   timeout)  # fmt: skip
        if scheme == "rtmp":
            handshake = b"\x03" + bytes(8) + os.urandom(1528)  # C0 (version 3) and C1
            return await _converse(reader, writer, where, "RTMP", handshake, b"\x03", RTMP_PORT_HINT, timeout)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    if scheme in ("http", "https"):
        return await _diagnose_http(source_url, where, timeout)
    return None  # rtsps/rtmps: the port answers; judging TLS-wrapped protocols is left to MediaMTX


def _rtsp_options(parts: SplitResult) -> bytes:
    netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    url = f"rtsp://{netloc}{parts.path or '/'}"  # without the credentials: OPTIONS needs none
    return f"OPTIONS {url} RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: VidStream\r\n\r\n".encode()


async def _converse(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, where: str, protocol: str, greeting: bytes,
    expected: bytes, hint: str, timeout: float,
) -> Diagnosis | None:  # fmt: skip
    try:
        async with asyncio.timeout(timeout):
            writer.write(greeting)
            await writer.drain()
            answer = await reader.read(512)
    except TimeoutError:
        silent = f"{where} accepted the connection but did not answer a {protocol} request within {timeout:.0f} s"
        return Diagnosis(silent, f"the port is probably not the camera's {protocol} port: {hint}")
    except OSError as error:
        return Diagnosis(f"{where} broke the connection ({error.strerror or error}) without speaking {protocol}", hint)
    if answer.startswith(expected):
        return None
    if not answer:
        return Diagnosis(f"{where} closed the connection without answering a {protocol} request", hint)
    # Some web servers answer a request they cannot parse with a bare error page, without a status line.
    if answer.startswith(b"HTTP/") or answer.lstrip()[:5].lower() in (b"<!doc", b"<html"):
        return Diagnosis(f"{where} answers HTTP, not {protocol}: it is probably the camera's web page", hint)
    return Diagnosis(f"{where} does not speak {protocol} (it answered {_preview(answer)!r})", hint)


async def _diagnose_http(source_url: str, where: str, timeout: float) -> Diagnosis | None:
    try:
        async with (
            # No proxies from the environment: the question is what the camera itself answers.
            httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=True, trust_env=False) as client,
            client.stream("GET", source_url) as response,
        ):
            head = b""
            async for chunk in response.aiter_bytes():
                head += chunk
                if len(head) >= 2048:
                    break
    except httpx.TimeoutException:
        return Diagnosis(f"{where} accepted the connection but did not answer the HTTP request within "
                         f"{timeout:.0f} s", "check the URL; if it is right, the camera hangs: restart it")  # fmt: skip
    except httpx.HTTPError as error:
        if isinstance(error.__context__, ssl.SSLError):
            return Diagnosis(f"{where}: the TLS connection failed ({error.__context__.reason})",
                             "check the camera's certificate, or use its plain URL on a trusted network")  # fmt: skip
        return Diagnosis(f"{where} broke off the HTTP exchange ({type(error).__name__})", "check the URL")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    status = response.status_code
    if status in (401, 403):
        return Diagnosis(f"{where} refused the credentials (HTTP {status})", "check the user name and password")
    if status == 404:
        return Diagnosis(f"{where} has no page at this path (HTTP 404)", HLS_HINT)
    if status >= 400:
        return Diagnosis(f"{where} answered HTTP {status}", HLS_HINT)
    if head.lstrip().startswith(b"#EXTM3U"):
        return None  # a playlist: MediaMTX judges the segments it lists
    if "html" in content_type or head.lstrip()[:1] == b"<":
        return Diagnosis(f"{where} serves a web page ({content_type or 'HTML'}), not a video stream", HLS_HINT)
    return Diagnosis(f"{where} serves {content_type or 'data'} that is not an HLS playlist", HLS_HINT)


async def connection_problem(source_url: str, timeout: float = 2.5) -> Diagnosis | None:
    """The quick half of a diagnosis, for an operator waiting on a "Test connection": can the host name be
    resolved, and does its port accept a connection (TCP schemes only; SRT and UDP are datagrams)? Within
    `timeout` in all, whatever the resolver's own retries would take."""
    parts = urlsplit(source_url)
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS.get(scheme)
    if not parts.hostname:
        return None
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        async with asyncio.timeout(timeout):
            await loop.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        return Diagnosis(f"the host name {parts.hostname!r} could not be resolved within {timeout:.1f} s",
                         "check the host name and this machine's DNS, or use the camera's IP address")  # fmt: skip
    except (socket.gaierror, UnicodeError):
        return Diagnosis(f"the host name {parts.hostname!r} cannot be resolved",
                         "check the host name, or use the camera's IP address")  # fmt: skip
    if port is None or scheme not in DEFAULT_PORTS:
        return None
    where = f"{parts.hostname}:{port}"
    left = max(timeout - (loop.time() - started), 0.5)
    try:
        async with asyncio.timeout(left):
            _, writer = await asyncio.open_connection(parts.hostname, port)
    except TimeoutError:
        return Diagnosis(f"{where} does not answer (no connection within {timeout:.1f} s)",
                         "check that the camera is on the network and that no firewall blocks the port")  # fmt: skip
    except ConnectionRefusedError:
        return Diagnosis(f"nothing accepts connections at {where}",
                         "check the camera's address and port, and that it is switched on")  # fmt: skip
    except OSError as error:
        return Diagnosis(f"cannot connect to {where}: {error.strerror or error}", "check the camera's address")
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None
