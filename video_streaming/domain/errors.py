"""Domain errors: every failure the operator can see has a kind, a message and what to do about it."""

from __future__ import annotations


class VidStreamError(Exception):
    """Base of every error VidStream raises on purpose.

    `kind` is a stable machine-readable tag (used by `Result` and the UI); `hint` tells the operator
    what to do next.
    """

    kind = "error"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InvalidTransition(VidStreamError):
    kind = "invalid_transition"


class InvalidInput(VidStreamError):
    kind = "invalid_input"


class ServerUnreachable(VidStreamError):
    kind = "unreachable"


class Unauthorized(VidStreamError):
    kind = "unauthorized"


class PathExists(VidStreamError):
    kind = "path_exists"


class NotFound(VidStreamError):
    kind = "not_found"


class SourceUnavailable(VidStreamError):
    kind = "source_unavailable"


class RecordingFailed(VidStreamError):
    kind = "recording_failed"


class DiskFull(VidStreamError):
    kind = "disk_full"


class StorageFailed(VidStreamError):
    kind = "storage_failed"


class VerificationFailed(VidStreamError):
    kind = "verification_failed"


class RetentionLocked(VidStreamError):
    kind = "retention_locked"
