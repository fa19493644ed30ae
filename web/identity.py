"""Storefront identity: the storefront vouches for a signed-in shopper with an HMAC.

The wire form is ``<customer_id>.<expires_unix>.<signature>``, the signature being the hex
HMAC-SHA256 with the shared secret of ``"<customer_id>.<expires_unix>"``.
The storefront's back end signs it with the secret it shares with Careline and hands it to the
widget; Careline checks it on connect and links the visitor to that customer.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass


class IdentityError(Exception):
    code = "bad_identity"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class VerifiedIdentity:
    customer_id: str
    expires_at: int


def _mac(secret: str, customer_id: str, expires_at: int) -> str:
    signed = f"{customer_id}.{expires_at}".encode()
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign_identity(secret: str, customer_id: str, *, ttl_seconds: int = 3600) -> str:
    if not customer_id or "." in customer_id:
        raise ValueError("customer id must be non-empty and contain no '.'")
    expires_at = int(time.time()) + ttl_seconds
    return f"{customer_id}.{expires_at}.{_mac(secret, customer_id, expires_at)}"


def verify_identity(secret: str, identity: str, *, now: float | None = None) -> VerifiedIdentity:
    """Check a storefront identity; raise ``IdentityError`` saying why it is refused."""
    parts = identity.split(".") if isinstance(identity, str) else []
    if len(parts) != 3 or not all(parts):
        raise IdentityError("identity is not of the form customer_id.expiry.signature")
    customer_id, expiry_text, signature = parts
    if not expiry_text.isdigit():
        raise IdentityError("identity expiry is not a unix time")
    expires_at = int(expiry_text)
    expected = _mac(secret, customer_id, expires_at)
    # Constant-time comparison: the time taken says nothing about how much of a forgery matched.
    if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
        raise IdentityError("identity signature does not match")
    if expires_at < (time.time() if now is None else now):
        raise IdentityError("identity has expired")
    return VerifiedIdentity(customer_id=customer_id, expires_at=expires_at)
