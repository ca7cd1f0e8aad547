"""The evidence package's key and checks, without servers: the signing key is private and kept, and the
verifier names every changed, missing, added or re-signed file (the real export is in tests/integration)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from video_streaming.domain.errors import InvalidInput, NotFound
from video_streaming.evidence import (
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    file_entry,
    fingerprint,
    seal,
    signing_key,
    verify_evidence,
)

T0 = datetime(2026, 11, 25, 14, 20, tzinfo=UTC)


def package(folder: Path, key: Ed25519PrivateKey) -> Path:
    folder.mkdir()
    (folder / "dock.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 40)
    (folder / "gate.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + b"gate" * 900)
    cameras = [{"id": "c1", "name": "Dock", "files": [file_entry(folder / "dock.mp4")]},
               {"id": "c2", "name": "Gate", "files": [file_entry(folder / "gate.mp4")]}]  # fmt: skip
    seal(folder, cameras, T0, T0 + timedelta(minutes=1), key, "ana")
    return folder


def test_the_signing_key_is_made_private_once_and_refused_when_others_can_read_it(tmp_path: Path) -> None:
    path = tmp_path / "data" / "keys" / "evidence.pem"
    made = signing_key(path)
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    assert fingerprint(signing_key(path).public_key()) == fingerprint(made.public_key()), "kept, not made anew"
    path.chmod(0o644)
    with pytest.raises(InvalidInput, match="can be read by other users"):
        signing_key(path)


def test_an_untouched_package_verifies_and_each_kind_of_change_is_named(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    good = package(tmp_path / "good", key)
    result = verify_evidence(good, pinned=fingerprint(key.public_key()))
    assert result.ok and sorted(result.checked) == ["dock.mp4", "gate.mp4"]

    def variant(name: str) -> Path:
        return Path(shutil.copytree(good, tmp_path / name))

    grown = variant("grown")
    with (grown / "gate.mp4").open("ab") as handle:
        handle.write(b"\x00")
    assert verify_evidence(grown).problems == ["gate.mp4: 3613 bytes, the manifest says 3612: changed after the export"]

    missing = variant("missing")
    (missing / "dock.mp4").unlink()
    assert verify_evidence(missing).problems == ["dock.mp4: missing"]

    added = variant("added")
    (added / "extra.mp4").write_bytes(b"x")
    assert verify_evidence(added).problems == ["extra.mp4: not part of the signed export (added later)"]

    # Another key re-signs a changed manifest: the signature matches its key, but not the pinned one.
    forged = variant("forged")
    other = Ed25519PrivateKey.generate()
    seal(forged, [{"id": "c1", "name": "Dock", "files": [file_entry(forged / "dock.mp4")]},
                  {"id": "c2", "name": "Gate", "files": [file_entry(forged / "gate.mp4")]}],
         T0, T0 + timedelta(minutes=1), other, "mallory")  # fmt: skip
    assert verify_evidence(forged).ok, "without a pinned key any self-consistent package verifies"
    pinned = verify_evidence(forged, pinned=fingerprint(key.public_key()))
    assert pinned.problems == [f"signed by key {fingerprint(other.public_key())}, not by the pinned key "
                               f"{fingerprint(key.public_key())}"]  # fmt: skip

    # A key file swapped under an intact manifest and signature: the signature no longer matches.
    swapped = variant("swapped")
    shutil.copy(forged / PUBLIC_KEY, swapped / PUBLIC_KEY)
    problems = verify_evidence(swapped).problems
    assert any("signature does not match" in p for p in problems) and any("names key" in p for p in problems)

    unsigned = variant("unsigned")
    (unsigned / SIGNATURE).unlink()
    assert verify_evidence(unsigned).problems == [f"not an evidence export: {SIGNATURE} missing"]
    with pytest.raises(NotFound, match="neither an export folder nor a ZIP"):
        verify_evidence(tmp_path / "nowhere")
    (tmp_path / "cut.zip").write_bytes(b"PK\x03\x04 truncated")
    assert verify_evidence(tmp_path / "cut.zip").problems == [f"{tmp_path / 'cut.zip'} is not a readable ZIP "
                                                              "(damaged or truncated)"]  # fmt: skip


def test_a_manifest_naming_a_path_outside_the_package_is_refused(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    folder = tmp_path / "p"
    folder.mkdir()
    (tmp_path / "secret.txt").write_bytes(b"outside")
    seal(folder, [{"id": "c1", "name": "Dock", "files": [{"path": "../secret.txt", "sha256": "0", "size": 7}]}],
         T0, T0 + timedelta(minutes=1), key, "ana")  # fmt: skip
    assert verify_evidence(folder).problems == ["'../secret.txt': not a file name of an export"]
    assert (folder / MANIFEST).is_file()
