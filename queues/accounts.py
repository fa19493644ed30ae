"""CSR accounts and their logins: create, list, disable, sign in, sign out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from queues.clock import Clock, new_id
from queues.domain import Agent, Role
from queues.errors import (
    AccountDisabled,
    AccountExists,
    BadCredentials,
    InvalidInput,
    NotFound,
    Unauthorized,
    UnknownQueue,
)
from queues.notices import PresenceChanged, SessionsRevoked
from queues.uow import CareUnitOfWork

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
MIN_PASSWORD = 8


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class NewAgent:
    username: str
    name: str
    password: str
    role: Role = Role.AGENT
    max_chats: int = 3
    queues: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Login:
    agent: Agent
    session_id: str
    expires_at: datetime


def validate_new_agent(new: NewAgent) -> None:
    if not USERNAME.match(new.username):
        raise InvalidInput(
            "A username is 2-63 lower-case letters, digits, '.', '_' or '-'.",
            details={"field": "username"},
        )
    if not new.name.strip():
        raise InvalidInput("A CSR needs a name.", details={"field": "name"})
    if len(new.password) < MIN_PASSWORD:
        raise InvalidInput(
            f"A password needs at least {MIN_PASSWORD} characters.", details={"field": "password"}
        )
    if not 1 <= new.max_chats <= 20:
        raise InvalidInput(
            "Concurrent chats must be between 1 and 20.", details={"field": "max_chats"}
        )


async def create_agent(
    uow: CareUnitOfWork, clock: Clock, new: NewAgent, password_hash: str
) -> Agent:
    """Create a CSR account. The password is hashed by the caller, outside the transaction
    (argon2 is slow on purpose)."""
    validate_new_agent(new)
    if await uow.agents.by_username(new.username) is not None:
        raise AccountExists(f"There is already a CSR called {new.username!r}.")
    for queue in new.queues:
        if await uow.queues.get(queue) is None:
            raise UnknownQueue(f"There is no queue called {queue!r}.", details={"queue": queue})
    agent = Agent(
        id=new_id("a"),
        username=new.username,
        name=new.name.strip(),
        role=new.role,
        max_chats=new.max_chats,
    )
    await uow.agents.add(agent, password_hash, clock.now())
    await uow.agents.set_memberships(agent.id, list(dict.fromkeys(new.queues)))
    uow.notify(PresenceChanged())
    await uow.commit()
    return agent


async def set_disabled(uow: CareUnitOfWork, clock: Clock, username: str, disabled: bool) -> Agent:
    """Disable (or enable again) an account. Disabling revokes every login at once and closes
    the CSR's sockets on every process."""
    found = await uow.agents.by_username(username)
    if found is None:
        raise NotFound(f"No CSR called {username!r}.")
    agent, _ = found
    await uow.agents.set_disabled(agent.id, disabled)
    if disabled:
        await uow.agents.revoke_all_sessions(agent.id, clock.now())
        uow.notify(SessionsRevoked(agent.id), PresenceChanged())
    await uow.commit()
    return Agent(agent.id, agent.username, agent.name, agent.role, agent.max_chats, disabled)


async def credentials(uow: CareUnitOfWork, username: str) -> tuple[Agent, str] | None:
    """The account and its password hash, for checking a sign-in outside any transaction
    (hashing is slow on purpose and must not hold the database)."""
    return await uow.agents.by_username(username.strip().lower())


def check_sign_in(found: tuple[Agent, str] | None, password: str, hasher: PasswordHasher) -> Agent:
    # The same answer whether the user exists or not: no probing for account names.
    if found is None or not hasher.verify(found[1], password):
        raise BadCredentials("Wrong username or password.")
    if found[0].disabled:
        raise AccountDisabled("This account is disabled. Ask a lead.")
    return found[0]


async def open_session(uow: CareUnitOfWork, clock: Clock, agent: Agent, ttl_seconds: int) -> Login:
    now = clock.now()
    session_id = new_id("s")
    expires_at = now + timedelta(seconds=ttl_seconds)
    await uow.agents.add_session(session_id, agent.id, now, expires_at)
    await uow.commit()
    return Login(agent, session_id, expires_at)


async def sign_out(uow: CareUnitOfWork, clock: Clock, agent_id: str, session_id: str) -> None:
    await uow.agents.revoke_session(session_id, clock.now())
    uow.notify(SessionsRevoked(agent_id, session_id))
    await uow.commit()


async def live_agent(uow: CareUnitOfWork, clock: Clock, agent_id: str, session_id: str) -> Agent:
    """The CSR behind a token, if the login is still good and the account enabled."""
    agent = await uow.agents.get(agent_id)
    if agent is None or not await uow.agents.session_is_live(session_id, agent_id, clock.now()):
        raise Unauthorized("Your sign-in has ended. Sign in again.")
    if agent.disabled:
        raise AccountDisabled("This account is disabled. Ask a lead.")
    return agent
