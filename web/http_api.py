"""The care side's HTTP endpoints: health, sign-in and sign-out, CSR accounts for leads."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import text

from queues import accounts
from queues.domain import Agent, Role
from queues.errors import CareError, Forbidden, InvalidInput, Unauthorized
from queues.uow import CareUnitOfWork
from web.bootstrap import Services
from web.errors import error_body, http_status

SERVICES = web.AppKey("services", Services)


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class NewAgentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Annotated[str, StringConstraints(min_length=2, max_length=63)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    password: Annotated[str, StringConstraints(min_length=8, max_length=256)]
    role: Literal["agent", "lead", "admin"] = "agent"
    max_chats: Annotated[int, Field(ge=1, le=20)] = 3
    queues: list[str] = []


class AgentPatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disabled: bool


def agent_json(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "username": agent.username,
        "name": agent.name,
        "role": agent.role.value,
        "max_chats": agent.max_chats,
        "disabled": agent.disabled,
    }


def error_response(exc: BaseException) -> web.Response:
    body = error_body(exc)
    return web.json_response({"error": body}, status=http_status(body["code"]))


@web.middleware
async def care_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except CareError as exc:
        return error_response(exc)


async def read_json(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise InvalidInput("The body must be JSON.", details={"field": "body"}) from None


def validate(model: type[BaseModel], data: Any, *, part: str = "") -> Any:
    """``model`` from ``data``, or ``invalid_payload`` naming the first bad field (prefixed by
    the ``part`` of the request: ``path``, ``query``) and listing every error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            {
                "field": ".".join(str(p) for p in ((part,) if part else ()) + tuple(e["loc"]))
                or part
                or "body",
                "message": e["msg"],
                "type": e["type"],
            }
            for e in exc.errors(include_url=False, include_input=False)
        ]
        first = errors[0]
        raise InvalidInput(
            f"Invalid field {first['field']!r}: {first['message']}.",
            details={"field": first["field"], "errors": errors},
        ) from None


async def parse(request: web.Request, model: type[BaseModel]) -> Any:
    return validate(model, await read_json(request))


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def readyz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    checks: dict[str, str] = {}
    try:
        async with services.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # readiness reports, it never raises
        checks["database"] = f"error: {type(exc).__name__}"
    if services.redis is not None:
        try:
            await asyncio.wait_for(services.redis.ping(), timeout=2)
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return web.json_response({"ok": ok, "checks": checks}, status=200 if ok else 503)


async def login(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    data: LoginIn = await parse(request, LoginIn)
    found = await services.runner.run(accounts.credentials, data.username)
    # Hashing is slow on purpose: off the event loop, outside any transaction.
    agent = await asyncio.to_thread(accounts.check_sign_in, found, data.password, services.hasher)
    signed_in = await services.runner.run(
        accounts.open_session, services.clock, agent, services.settings.agent_token_ttl_seconds
    )
    token = services.tokens.agent_token(agent.id, signed_in.session_id, signed_in.expires_at)
    return web.json_response(
        {
            "token": token,
            "expires_at": signed_in.expires_at.isoformat(),
            "agent": {"id": agent.id, "name": agent.name, "role": agent.role.value},
        }
    )


async def current_agent(request: web.Request) -> tuple[Agent, str]:
    services = request.app[SERVICES]
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise Unauthorized("Send the token from sign-in as 'Authorization: Bearer <token>'.")
    claims = services.tokens.read_agent_token(header.removeprefix("Bearer ").strip())
    agent = await services.runner.run(
        accounts.live_agent, services.clock, claims.agent_id, claims.session_id
    )
    return agent, claims.session_id


async def logout(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    agent, session_id = await current_agent(request)
    await services.runner.run(accounts.sign_out, services.clock, agent.id, session_id)
    return web.json_response({"ok": True})


async def me(request: web.Request) -> web.Response:
    agent, _ = await current_agent(request)
    return web.json_response({"agent": agent_json(agent)})


async def _lead(request: web.Request) -> Agent:
    agent, _ = await current_agent(request)
    if not agent.supervises:
        raise Forbidden("Only leads and admins manage CSR accounts.")
    return agent


async def list_agents(request: web.Request) -> web.Response:
    await _lead(request)
    services = request.app[SERVICES]
    async with CareUnitOfWork(services.engine) as uow:
        agents = await uow.agents.all()
        items = []
        for agent in agents:
            item = agent_json(agent)
            item["queues"] = await uow.agents.memberships(agent.id)
            items.append(item)
    return web.json_response({"items": items})


async def create_agent(request: web.Request) -> web.Response:
    lead = await _lead(request)
    services = request.app[SERVICES]
    data: NewAgentIn = await parse(request, NewAgentIn)
    role = Role(data.role)
    # A lead creates CSRs and leads; only an admin creates admins.
    if role is Role.ADMIN and lead.role is not Role.ADMIN:
        raise Forbidden("Only an admin may create an admin account.")
    new = accounts.NewAgent(
        username=data.username,
        name=data.name,
        password=data.password,
        role=role,
        max_chats=data.max_chats,
        queues=data.queues,
    )
    accounts.validate_new_agent(new)
    password_hash = await asyncio.to_thread(services.hasher.hash, data.password)
    agent = await services.runner.run(accounts.create_agent, services.clock, new, password_hash)
    return web.json_response({"agent": agent_json(agent)}, status=201)


async def patch_agent(request: web.Request) -> web.Response:
    lead = await _lead(request)
    services = request.app[SERVICES]
    data: AgentPatchIn = await parse(request, AgentPatchIn)
    username = request.match_info["username"]
    if username == lead.username and data.disabled:
        raise Forbidden("You cannot disable your own account.")
    agent = await services.runner.run(
        accounts.set_disabled, services.clock, username, data.disabled
    )
    return web.json_response({"agent": agent_json(agent)})


def mount_care_api(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_post("/api/auth/login", login)
    app.router.add_post("/api/auth/logout", logout)
    app.router.add_get("/api/auth/me", me)
    app.router.add_get("/api/agents", list_agents)
    app.router.add_post("/api/agents", create_agent)
    app.router.add_patch("/api/agents/{username}", patch_agent)
