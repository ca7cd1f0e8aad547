"""`Result[T]`: a success carrying a value or a failure carrying an error, never both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from video_streaming.domain.errors import VidStreamError

T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """Why an operation failed: a stable `kind`, a human `message` and a `hint` on what to do."""

    kind: str
    message: str
    hint: str = ""

    @classmethod
    def from_exception(cls, error: BaseException) -> Failure:
        if isinstance(error, VidStreamError):
            return cls(error.kind, error.message, error.hint)
        return cls("unexpected", f"{type(error).__name__}: {error}")

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ResultError(VidStreamError):
    kind = "result_error"


_NO_VALUE = object()


class Result(Generic[T]):
    """Outcome of a service call. Build with `Result.ok(value)` or `Result.fail(...)`."""

    __slots__ = ("_error", "_value")

    def __init__(self, value: object = _NO_VALUE, error: Failure | None = None) -> None:
        if (value is _NO_VALUE) == (error is None):
            raise ResultError("a Result holds exactly one of a value or an error")
        self._value = value
        self._error = error

    @classmethod
    def ok(cls, value: T) -> Result[T]:
        return cls(value=value)

    @classmethod
    def fail(cls, kind: str, message: str, hint: str = "") -> Result[T]:
        return cls(error=Failure(kind, message, hint))

    @classmethod
    def from_exception(cls, error: BaseException) -> Result[T]:
        return cls(error=Failure.from_exception(error))

    @property
    def is_success(self) -> bool:
        return self._error is None

    @property
    def is_failure(self) -> bool:
        return self._error is not None

    @property
    def value(self) -> T:
        if self._error is not None:
            raise ResultError(f"no value: the operation failed: {self._error}")
        return cast(T, self._value)

    @property
    def error(self) -> Failure | None:
        return self._error

    def unwrap_or(self, default: T) -> T:
        return default if self._error is not None else cast(T, self._value)

    def __bool__(self) -> bool:
        return self.is_success

    def __repr__(self) -> str:
        return f"Result.ok({self._value!r})" if self._error is None else f"Result.fail({self._error!r})"
