"""Replies from cameras whose SOAP is not quite XML: some use ONVIF's usual namespace prefixes ("tptz:",
"tt:") without declaring them, and the client library then refuses the whole reply ("Invalid tag name
'ptz:PTZStatus'"). Seen on ipycam's GetStatus, GetPresets and SetPreset; cheap field cameras do the same.
The reply is mended before parsing by declaring the prefixes ONVIF's own documents use, and only those:
a prefix nobody knows stays undeclared and the reply is refused as before."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from typing import Any

WELL_KNOWN_PREFIXES = {
    "tt": "http://www.onvif.org/ver10/schema",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "ptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "timg": "http://www.onvif.org/ver20/imaging/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
}
_USED = re.compile(rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_DECLARED = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
_ENVELOPE = re.compile(rb"<([A-Za-z_][\w.-]*:)?Envelope\b")


def declare_missing_prefixes(content: bytes) -> bytes:
    """`content` with a declaration on its Envelope for each well-known prefix it uses but never declares."""
    envelope = _ENVELOPE.search(content)
    if envelope is None:
        return content
    used = {prefix.decode() for prefix in _USED.findall(content)}
    declared = {prefix.decode() for prefix in _DECLARED.findall(content)}
    missing = sorted(prefix for prefix in used - declared if prefix in WELL_KNOWN_PREFIXES)
    if not missing:
        return content
    declarations = "".join(f' xmlns:{prefix}="{WELL_KNOWN_PREFIXES[prefix]}"' for prefix in missing).encode()
    return content[: envelope.end()] + declarations + content[envelope.end():]


def tolerate_undeclared_prefixes(service: Any) -> Any:
    """Mend every reply `service` (an onvif-zeep-async service) receives, before zeep parses it. The library
    reads replies in its transport's `_post_internal` (onvif-zeep-async 4.x); without that method the
    service is left as it is."""
    transport: Any = getattr(service, "transport", None)
    post: Callable[..., Awaitable[tuple[Any, bytes]]] | None = getattr(transport, "_post_internal", None)
    if transport is None or post is None or getattr(post, "mends_prefixes", False):
        return service

    @functools.wraps(post)
    async def mended(*args: Any, **kwargs: Any) -> tuple[Any, bytes]:
        response, content = await post(*args, **kwargs)
        return response, declare_missing_prefixes(content)

    mended.mends_prefixes = True  # type: ignore[attr-defined]
    transport._post_internal = mended
    return service
