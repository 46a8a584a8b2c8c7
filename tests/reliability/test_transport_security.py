"""TLS stays verified by default; a plain-http API off this machine is warned about."""

from __future__ import annotations

import ssl
import warnings

import pytest
from predictkit import Client, InsecureBaseURLWarning


def test_tls_is_verified_by_default() -> None:
    with Client("t0ken", "https://api.example.test/v1") as client:
        http = client._pool.sync()
        context = http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


@pytest.mark.parametrize("url", ["http://api.example.test/v1", "http://10.0.0.8:8000/v1"])
def test_plain_http_off_this_machine_warns(url: str) -> None:
    with pytest.warns(InsecureBaseURLWarning, match="plain http") as caught:
        Client("t0ken", url).close()
    assert caught[0].filename == __file__  # points at the caller's line, not predictkit's
    assert "t0ken" not in str(caught[0].message)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/v1", "http://localhost/v1", "http://[::1]:9/v1", "https://x/v1"]
)
def test_loopback_and_https_do_not_warn(url: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Client("t0ken", url).close()
