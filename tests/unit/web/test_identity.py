from __future__ import annotations

import time

import pytest

from web.identity import IdentityError, sign_identity, verify_identity

SECRET = "shared-storefront-secret"


def test_signed_identity_verifies_to_its_customer() -> None:
    verified = verify_identity(SECRET, sign_identity(SECRET, "cust-42"))
    assert verified.customer_id == "cust-42"


def test_identity_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(IdentityError, match="signature"):
        verify_identity(SECRET, sign_identity("another-secret", "cust-42"))


def test_identity_for_another_customer_with_a_copied_signature_is_refused() -> None:
    _, expiry, signature = sign_identity(SECRET, "cust-42").split(".")
    with pytest.raises(IdentityError, match="signature"):
        verify_identity(SECRET, f"cust-43.{expiry}.{signature}")


def test_extended_expiry_breaks_the_signature() -> None:
    customer, expiry, signature = sign_identity(SECRET, "cust-42").split(".")
    with pytest.raises(IdentityError, match="signature"):
        verify_identity(SECRET, f"{customer}.{int(expiry) + 86400}.{signature}")


def test_expired_identity_is_refused_as_expired() -> None:
    token = sign_identity(SECRET, "cust-42", ttl_seconds=60)
    with pytest.raises(IdentityError, match="expired"):
        verify_identity(SECRET, token, now=time.time() + 120)


@pytest.mark.parametrize("bad", ["", "x", "a.b", "a.b.c.d", "cust.notanumber.abc", "..."])
def test_malformed_identity_is_refused_with_a_reason(bad: str) -> None:
    with pytest.raises(IdentityError) as caught:
        verify_identity(SECRET, bad)
    assert caught.value.code == "bad_identity"
    assert caught.value.message
