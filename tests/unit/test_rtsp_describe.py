"""The camera login of the DESCRIBE probe: digest answers as RFC 2617 computes them, basic as a fallback."""

from __future__ import annotations

import base64

from video_streaming.adapters.rtsp_describe import _meaning, authorization


def test_digest_with_qop_matches_the_rfc_2617_example() -> None:
    challenge = ('Digest realm="testrealm@host.com", qop="auth,auth-int", '
                 'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"')  # fmt: skip
    header = authorization([challenge], "Mufasa", "Circle Of Life", "GET", "/dir/index.html", cnonce="0a4f113b")
    assert header is not None and 'response="6629fae49393a05397450978507c4ef1"' in header
    assert "qop=auth" in header and "nc=00000001" in header


def test_digest_without_qop_and_preferred_over_basic() -> None:
    challenges = ['Basic realm="cam"', 'Digest realm="cam", nonce="abc"']
    header = authorization(challenges, "viewer", "secret", "DESCRIBE", "rtsp://127.0.0.1:8554/gate")
    assert header is not None and header.startswith("Digest ") and "qop" not in header
    assert "secret" not in header  # only its hash travels


def test_basic_when_it_is_all_the_camera_offers() -> None:
    header = authorization(['Basic realm="cam"'], "viewer", "secret", "DESCRIBE", "rtsp://h/p")
    assert header == "Basic " + base64.b64encode(b"viewer:secret").decode()
    assert authorization([], "viewer", "secret", "DESCRIBE", "rtsp://h/p") is None


def test_statuses_read_as_the_operator_needs_them() -> None:
    assert _meaning(200, "h:554", has_login=True) is None
    assert "refused the credentials" in _meaning(401, "h:554", has_login=True).reason  # type: ignore[union-attr]
    assert "wants a login" in _meaning(401, "h:554", has_login=False).reason  # type: ignore[union-attr]
    assert "no stream at this path" in _meaning(404, "h:554", has_login=True).reason  # type: ignore[union-attr]
    assert "RTSP 454" in _meaning(454, "h:554", has_login=True).reason  # type: ignore[union-attr]
