"""Secrets (camera passwords, MediaMTX API and S3 keys) in the OS keyring, or a 0600 file where no
keyring exists (a headless server). Never logged, never stored in the catalog."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from video_streaming.private_files import private_dir, write_private_file

log = logging.getLogger(__name__)
SERVICE = "vidstream"


class SecretStore:
    def __init__(self, fallback_file: Path, use_keyring: bool = True) -> None:
        self.fallback_file = fallback_file
        self._lock = threading.Lock()
        self._keyring = self._load_keyring() if use_keyring else None

    @staticmethod
    def _load_keyring() -> object | None:
        try:
            import keyring
            from keyring.backends import fail, null

            backend = keyring.get_keyring()
            if isinstance(backend, (fail.Keyring, null.Keyring)):
                return None
            # A chainer with nothing behind it is as good as no keyring.
            if type(backend).__name__ == "ChainerBackend" and not getattr(backend, "backends", None):
                return None
            return keyring
        except Exception:  # no keyring package or no usable backend
            return None

    @property
    def backend_name(self) -> str:
        return "OS keyring" if self._keyring else f"file {self.fallback_file} (mode 0600)"

    def _read_file(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.fallback_file.read_text()))
        except (FileNotFoundError, ValueError):
            return {}

    def _write_file(self, data: dict[str, str]) -> None:
        private_dir(self.fallback_file.parent)
        write_private_file(self.fallback_file, json.dumps(data))

    def get(self, name: str) -> str | None:
        env_name = "VIDSTREAM_SECRET_" + "".join(ch if ch.isalnum() else "_" for ch in name).upper()
        if value := os.environ.get(env_name):
            return value
        if self._keyring is not None:
            try:
                return self._keyring.get_password(SERVICE, name)  # type: ignore[attr-defined,no-any-return]
            except Exception as error:
                log.warning("keyring read failed (%s); using the fallback file", type(error).__name__)
        with self._lock:
            return self._read_file().get(name)

    def set(self, name: str, value: str) -> None:
        if self._keyring is not None:
            try:
                self._keyring.set_password(SERVICE, name, value)  # type: ignore[attr-defined]
                return
            except Exception as error:
                log.warning("keyring write failed (%s); using the fallback file", type(error).__name__)
        with self._lock:
            data = self._read_file()
            data[name] = value
            self._write_file(data)

    def delete(self, name: str) -> None:
        if self._keyring is not None:
            with contextlib.suppress(Exception):  # absent entries raise PasswordDeleteError
                self._keyring.delete_password(SERVICE, name)  # type: ignore[attr-defined]
        with self._lock:
            data = self._read_file()
            if data.pop(name, None) is not None:
                self._write_file(data)

    def get_or_create(self, name: str, factory: Callable[[], str]) -> str:
        existing = self.get(name)
        if existing:
            return existing
        value = factory()
        self.set(name, value)
        return value
