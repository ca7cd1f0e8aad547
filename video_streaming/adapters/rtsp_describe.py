"""Does an RTSP camera serve this stream to this login? One DESCRIBE, answered with the camera's own status.

Where the app does not run MediaMTX (an external server), MediaMTX's log is not the app's to read, and
MediaMTX v1.20.1's API says only "not ready" of a source it cannot pull: a refused login (401) and a path the
camera does not serve (404) looked like a camera that sends nothing. Asking the camera the question MediaMTX
asks it tells them apart in one round trip (two with a login: the first answer brings the digest challenge).

The login goes only to the camera, in the Authorization header it asks for; messages name host:port."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import re
from urllib.parse import unquote, urlsplit

from video_streaming.adapters.source_probe import DEFAULT_PORTS
from video_streaming.ports import Diagnosis

_CHALLENGE_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]+))')


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def authorization(challenges: list[str], user: str, password: str, method: str, uri: str,
                  cnonce: str | None = None) -> str | None:  # fmt: skip
    """The Authorization header answering the camera's WWW-Authenticate challenges (Digest preferred)."""
    digest = next((c for c in challenges if c.lower().startswith("digest")), None)
    if digest is not None:
        params = {m[1].lower(): m[2] or m[3] for m in _CHALLENGE_PARAM.finditer(digest[len("digest"):])}
        realm, nonce = params.get("realm", ""), params.get("nonce", "")
        ha1, ha2 = _md5(f"{user}:{realm}:{password}"), _md5(f"{method}:{uri}")
        fields = f'username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}"'
        if "auth" in params.get("qop", "").split(","):
            cnonce = cnonce or os.urandom(8).hex()
            response = _md5(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
            return f'Digest {fields}, response="{response}", qop=auth, nc=00000001, cnonce="{cnonce}"'
        return f'Digest {fields}, response="{_md5(f"{ha1}:{nonce}:{ha2}")}"'
    if any(c.lower().startswith("basic") for c in challenges):
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return None


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: str
                    ) -> tuple[int, dict[str, list[str]]]:  # fmt: skip
    """Send one request; the answer's status and headers (its body, the SDP, is not needed)."""
    writer.write(request.encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("utf-8", "replace").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if len(status_line) < 2 or not status_line[0].startswith("RTSP/"):
        raise ValueError(f"not an RTSP answer: {lines[0][:40]!r}")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if value:
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    length = int(headers.get("content-length", ["0"])[0] or 0)
    if length:
        await reader.readexactly(min(length, 65536))
    return int(status_line[1]), headers


# A wrong login is answered only after a pause against password guessing: 3.1 s measured from MediaMTX
# v1.20.1 as the camera's server.
DESCRIBE_TIMEOUT_S = 5.0


async def describe_refusal(source_url: str, timeout: float = DESCRIBE_TIMEOUT_S) -> Diagnosis | None:
    """Why the camera refuses to describe the stream of `source_url` (401, 403, 404, another error status),
    or None when it describes it, or when it cannot be asked (that is `source_probe`'s question)."""
    parts = urlsplit(source_url)
    if parts.scheme.lower() != "rtsp" or not parts.hostname:
        return None
    port = parts.port or DEFAULT_PORTS["rtsp"]
    where = f"{parts.hostname}:{port}"
    netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    uri = f"rtsp://{netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
    user, password = unquote(parts.username or ""), unquote(parts.password or "")

    def request(cseq: int, auth: str | None) -> str:
        header = f"Authorization: {auth}\r\n" if auth else ""
        return (f"DESCRIBE {uri} RTSP/1.0\r\nCSeq: {cseq}\r\nAccept: application/sdp\r\n{header}"
                "User-Agent: VidStream\r\n\r\n")

    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(parts.hostname, port)
            status, headers = await _exchange(reader, writer, request(1, None))
            if status == 401 and parts.username is not None:
                auth = authorization(headers.get("www-authenticate", []), user, password, "DESCRIBE", uri)
                if auth is not None:
                    status, headers = await _exchange(reader, writer, request(2, auth))
    except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
    return _meaning(status, where, has_login=parts.username is not None)


def _meaning(status: int, where: str, has_login: bool) -> Diagnosis | None:
    if status < 400:
        return None
    if status == 401:
        if has_login:
            return Diagnosis(f"the camera refused the credentials (RTSP 401 from {where})",
                             "check the camera's user name and password")  # fmt: skip
        return Diagnosis(f"the camera wants a login (RTSP 401 from {where})", "add the camera's user name and password")
    if status == 403:
        return Diagnosis(f"the camera refused access to this stream (RTSP 403 from {where})",
                         "check that this user may watch the stream")  # fmt: skip
    if status == 404:
        return Diagnosis(f"the camera has no stream at this path (RTSP 404 from {where})",
                         "check the stream path in the URL (the camera's manual or its web page lists it)")  # fmt: skip
    return Diagnosis(f"the camera answered RTSP {status} ({where})", "check the camera URL")
