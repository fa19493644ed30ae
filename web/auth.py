"""Tokens and password hashing.

CSR tokens and visitor tokens are JWTs (HS256) signed with the app secret; a CSR token names its
login session, which the database can revoke (sign-out, a disabled account). Passwords are hashed
with argon2id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import jwt
from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError

from queues.errors import CareError


class TokenError(CareError):
    code = "unauthorized"


class TokenExpired(TokenError):
    code = "token_expired"


@dataclass(frozen=True, slots=True)
class AgentClaims:
    agent_id: str
    session_id: str


class Tokens:
    def __init__(self, secret: str) -> None:
        if len(secret) < 32:
            raise ValueError("the token secret must have at least 32 characters")
        self._secret = secret

    def agent_token(self, agent_id: str, session_id: str, expires_at: datetime) -> str:
        claims = {"typ": "agent", "sub": agent_id, "sid": session_id, "exp": expires_at}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def visitor_token(self, visitor_id: str, expires_at: datetime) -> str:
        claims = {"typ": "visitor", "sub": visitor_id, "exp": expires_at}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def _decode(self, token: object, typ: str) -> dict[str, object]:
        if not isinstance(token, str) or not token:
            raise TokenError("A token is required.")
        try:
            claims: dict[str, object] = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                options={"require": ["exp", "sub", "typ"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenExpired("The token has expired. Sign in again.") from exc
        except jwt.InvalidTokenError as exc:
            raise TokenError("The token is not valid.") from exc
        if claims.get("typ") != typ or not isinstance(claims.get("sub"), str):
            raise TokenError("The token is not valid here.")
        return claims

    def read_agent_token(self, token: object) -> AgentClaims:
        claims = self._decode(token, "agent")
        session_id = claims.get("sid")
        if not isinstance(session_id, str):
            raise TokenError("The token is not valid.")
        return AgentClaims(agent_id=str(claims["sub"]), session_id=session_id)

    def read_visitor_token(self, token: object) -> str:
        return str(self._decode(token, "visitor")["sub"])


class PasswordHasher:
    """argon2id with the library's recommended parameters."""

    def __init__(self) -> None:
        self._argon = Argon2()

    def hash(self, password: str) -> str:
        return self._argon.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
