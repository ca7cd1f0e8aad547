"""MediaMTX Control API v3 client on httpx: provisions camera sources as paths and reads their state."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import httpx

from video_streaming.adapters.mediamtx_log import MediaMTXLog, describe_source_error
from video_streaming.adapters.rtsp_describe import describe_refusal
from video_streaming.adapters.source_probe import connection_problem, diagnose_source
from video_streaming.domain.camera import SecretLookup, SourceUrl, is_loopback_url, mask_url
from video_streaming.domain.errors import (
    InvalidInput,
    PathExists,
    ServerUnreachable,
    Unauthorized,
    VidStreamError,
)
from video_streaming.ports import Diagnosis, MediaServer

# MediaMTX accepts these characters in path names; anything else is refused before it reaches the server.
_PATH_NAME = re.compile(r"[A-Za-z0-9_\-.~]+(/[A-Za-z0-9_\-.~]+)*")
_PAGE_SIZE = 1000


def _check_path_name(name: str) -> str:
    if not name or len(name) > 200 or not _PATH_NAME.fullmatch(name) or ".." in name:
        raise InvalidInput(f"{name[:60]!r} is not a valid MediaMTX path name", "use letters, digits, - _ . ~ and /")
    return name


def summarize_path(item: dict[str, Any]) -> dict[str, Any]:
    """Normalize a /v3/paths item into the fields the app uses."""
    tracks = item.get("tracks2") or [{"codec": codec} for codec in item.get("tracks") or []]
    source = item.get("source") or {}
    return {
        "exists": True,
        "name": item.get("name", ""),
        "ready": bool(item.get("ready")),
        "ready_time": item.get("readyTime"),
        "tracks": [track.get("codec", "") for track in tracks],
        "video": next(
            (t.get("codecProps", {}) for t in tracks if t.get("codec") in {"H264", "H265", "AV1", "VP9"}), {}
        ),
        "source_type": source.get("type", ""),
        "bytes_received": int(item.get("bytesReceived", item.get("inboundBytes", 0)) or 0),
        "bytes_sent": int(item.get("bytesSent", item.get("outboundBytes", 0)) or 0),
        "readers": len(item.get("readers") or []),
        "frames_in_error": int(item.get("inboundFramesInError", 0) or 0),
    }


class MediaMTXClientImpl(MediaServer):
    """Talks to one MediaMTX server. Every call has an explicit timeout and raises typed errors:
    ServerUnreachable, Unauthorized, PathExists, InvalidInput."""

    def __init__(
        self,
        host: str = "localhost",
        port: int = 9997,
        *,
        username: str | None = None,
        password: str | None = None,
        scheme: str = "http",
        timeout: float = 5.0,
        rtsp_transport: str = "tcp",
        log: MediaMTXLog | None = None,
        secrets: SecretLookup | None = None,
    ) -> None:
        self.base_url = f"{scheme}://{host}:{port}"
        self.secrets = secrets  # resolves the stored passwords a camera's source names (the secret store's get)
        self.log = log  # the server's log, when this machine runs it: the only place it says why a pull fails
        self.rtsp_transport = rtsp_transport
        auth = httpx.BasicAuth(username, password or "") if username else None
        self._client = httpx.AsyncClient(
            base_url=self.base_url, auth=auth, timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            trust_env=not is_loopback_url(self.base_url),  # the API's Basic auth never goes to a proxy from here
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> MediaMTXClientImpl:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise ServerUnreachable(
                f"MediaMTX at {self.base_url} did not answer in time", "check that MediaMTX is running"
            ) from None
        except httpx.TransportError as error:
            raise ServerUnreachable(
                f"cannot reach MediaMTX at {self.base_url}: {type(error).__name__}",
                "check that MediaMTX is running and its API is enabled",
            ) from None
        if response.status_code == 401:
            raise Unauthorized(
                f"MediaMTX at {self.base_url} refused the API credentials", "check the API user and password"
            )
        return response

    @staticmethod
    def _error_text(response: httpx.Response) -> str:
        try:
            return str(response.json().get("error", response.text))
        except ValueError:
            return response.text[:300]

    async def start_stream(self, stream_id: str, source_url: str) -> bool:
        name = quote(_check_path_name(stream_id), safe="/")
        body: dict[str, Any] = {"source": source_url, "sourceOnDemand": False}
        if source_url.startswith(("rtsp://", "rtsps://")):
            body["rtspTransport"] = self.rtsp_transport
        response = await self._request("POST", f"/v3/config/paths/add/{name}", json=body)
        if response.status_code == 200:
            return True
        message = mask_url(self._error_text(response))
        if "already exists" in message:
            raise PathExists(f"MediaMTX already has a path named {stream_id!r}", "stop that stream first")
        if response.status_code == 400:
            raise InvalidInput(f"MediaMTX refused the source: {message}", "check the camera URL")
        raise VidStreamError(f"MediaMTX answered {response.status_code}: {message}")

    async def set_auth_users(self, users: list[dict[str, Any]]) -> None:
        """Replace the server's internal users (hot: MediaMTX reloads them without dropping anyone)."""
        response = await self._request("PATCH", "/v3/config/global/patch", json={"authInternalUsers": users})
        if response.status_code != 200:
            raise VidStreamError(f"MediaMTX refused the new logins ({response.status_code})")

    async def stop_stream(self, stream_id: str) -> bool:
        name = quote(_check_path_name(stream_id), safe="/")
        response = await self._request("DELETE", f"/v3/config/paths/delete/{name}")
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        raise VidStreamError(f"MediaMTX answered {response.status_code}: {mask_url(self._error_text(response))}")

    async def get_stream_status(self, stream_id: str) -> dict[str, Any]:
        name = quote(_check_path_name(stream_id), safe="/")
        response = await self._request("GET", f"/v3/paths/get/{name}")
        if response.status_code == 404:
            return {
                "exists": False,
                "name": stream_id,
                "ready": False,
                "tracks": [],
                "bytes_received": 0,
                "readers": 0,
            }
        if response.status_code != 200:
            raise VidStreamError(f"MediaMTX answered {response.status_code}: {self._error_text(response)}")
        return summarize_path(response.json())

    def source_error(self, stream_id: str) -> str | None:
        """Why MediaMTX cannot pull the path's source right now, in words (None: no reason known)."""
        raw = self.log.source_error(stream_id) if self.log is not None else None
        return describe_source_error(mask_url(raw)) if raw else None

    async def explain_not_ready(
        self, source: SourceUrl, timeout: float = 2.0, path_name: str | None = None
    ) -> Diagnosis | None:
        """Why a path's source gives no media. MediaMTX v1.20 writes the reason only to its log (the API
        says "not ready"): from the source itself (one short exchange in the protocol of its URL) and, when
        the source speaks its protocol, from that log where this machine runs the server."""
        # The source's own answer first: MediaMTX says only "EOF" of a web page where a camera should be.
        source_url = source.with_credentials(self.secrets)
        diagnosis = await diagnose_source(source_url, timeout)
        if diagnosis is None and path_name is not None and (reason := self.source_error(path_name)) is not None:
            return Diagnosis(reason, "check the camera URL, its credentials and that it is on the network")
        # Where the log is not ours (an external server), the camera answers MediaMTX's own question.
        return diagnosis or await describe_refusal(source_url)

    async def refusal(self, source: SourceUrl) -> Diagnosis | None:
        """A camera's definite no (401, 403, 404 to a DESCRIBE), asked while a start waits, where this
        machine does not read the server's log (which says it at once); None otherwise."""
        return None if self.log is not None else await describe_refusal(source.with_credentials(self.secrets))

    @staticmethod
    async def reachability_problem(source_url: str) -> Diagnosis | None:
        """What makes the camera unreachable (a host name that does not resolve, a port that refuses or does
        not answer), found in seconds, before MediaMTX's own ready timeout; None when it answers."""
        return await connection_problem(source_url)

    async def list_paths(self) -> dict[str, dict[str, Any]]:
        """State of every path in as few calls as the server's paging allows (one for <= 1000 paths)."""
        paths: dict[str, dict[str, Any]] = {}
        page = 0
        while True:
            response = await self._request("GET", "/v3/paths/list", params={"page": page, "itemsPerPage": _PAGE_SIZE})
            if response.status_code != 200:
                raise VidStreamError(f"MediaMTX answered {response.status_code}: {self._error_text(response)}")
            data = response.json()
            for item in data.get("items") or []:
                summary = summarize_path(item)
                paths[summary["name"]] = summary
            page += 1
            if page >= int(data.get("pageCount", 1) or 1):
                return paths
