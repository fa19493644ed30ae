from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from web.auth import PasswordHasher, TokenError, TokenExpired, Tokens

SECRET = "a-secret-of-enough-length-for-hs256-keys"


def later(seconds: int = 3600) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_agent_token_round_trip_names_agent_and_session() -> None:
    tokens = Tokens(SECRET)
    claims = tokens.read_agent_token(tokens.agent_token("a1", "s1", later()))
    assert (claims.agent_id, claims.session_id) == ("a1", "s1")


def test_expired_agent_token_is_refused_as_expired() -> None:
    tokens = Tokens(SECRET)
    with pytest.raises(TokenExpired):
        tokens.read_agent_token(tokens.agent_token("a1", "s1", later(-10)))


def test_token_signed_with_another_secret_is_refused() -> None:
    forged = Tokens("some-other-secret-entirely-and-long-enough").agent_token("a1", "s1", later())
    with pytest.raises(TokenError):
        Tokens(SECRET).read_agent_token(forged)


def test_unsigned_token_is_refused() -> None:
    forged = jwt.encode(
        {"typ": "agent", "sub": "a1", "sid": "s1", "exp": later()}, key=None, algorithm="none"
    )
    with pytest.raises(TokenError):
        Tokens(SECRET).read_agent_token(forged)


def test_visitor_token_is_not_an_agent_token() -> None:
    tokens = Tokens(SECRET)
    with pytest.raises(TokenError):
        tokens.read_agent_token(tokens.visitor_token("v1", later()))
    assert tokens.read_visitor_token(tokens.visitor_token("v1", later())) == "v1"


@pytest.mark.parametrize("junk", [None, "", 42, "not.a.jwt", {"token": "x"}])
def test_junk_tokens_are_refused(junk: object) -> None:
    with pytest.raises(TokenError):
        Tokens(SECRET).read_agent_token(junk)


def test_password_hash_verifies_only_the_password() -> None:
    hasher = PasswordHasher()
    hashed = hasher.hash("correct horse")
    assert hashed != "correct horse"
    assert hasher.verify(hashed, "correct horse")
    assert not hasher.verify(hashed, "correct horse!")
    assert not hasher.verify("not-a-hash", "correct horse")
