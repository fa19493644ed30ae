"""``careline``: serve, demo, migrate, and CSR accounts from the command line."""

from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from queues import accounts
from queues.domain import Role
from queues.errors import CareError
from queues.uow import CareUnitOfWork
from web.app import create_app
from web.bootstrap import bootstrap
from web.migrate import upgrade
from web.settings import Settings

DEMO_DB = ".careline/demo.db"


def _settings(args: argparse.Namespace, **overrides: object) -> Settings:
    values: dict[str, object] = {}
    for flag, field in (
        ("host", "CARELINE_HOST"),
        ("port", "CARELINE_PORT"),
        ("database_url", "DATABASE_URL"),
        ("redis_url", "REDIS_URL"),
    ):
        value = getattr(args, flag, None)
        if value is not None:
            values[field] = value
    for key, value in overrides.items():
        values[key] = value
    return Settings(**values)  # type: ignore[arg-type]


GC_FIRST_THRESHOLD = 50_000


async def _serve(settings: Settings, banner: str = "") -> None:
    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port, reuse_address=True)
    await site.start()
    # Everything made while starting (modules, tables, schemas: some 140,000 objects) lives as
    # long as the process: keep it out of the collector's full passes, which otherwise walk it
    # all (about 100 ms on a small machine, a pause every chat in flight would wait out).
    gc.collect()
    gc.freeze()
    # The collector's default first threshold (700 allocations) runs it every few chat
    # messages, while the messages in flight (their futures, tasks, payloads) are still alive:
    # they are promoted, and the older generations then fill and are walked again and again
    # (under load a 5 ms pass five times a second and a 40 ms one every two seconds, each a
    # pause for every chat). Most of those objects are freed by their reference counts moments
    # later; collecting far less often lets them go first (docs/performance.md).
    gc.set_threshold(GC_FIRST_THRESHOLD, 20, 20)
    print(f"Careline serving on http://{settings.host}:{settings.port}", flush=True)
    if banner:
        print(banner, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def _migrate(settings: Settings) -> None:
    services = bootstrap(settings, sockets=False)
    try:
        await upgrade(services.engine)
    finally:
        await services.aclose()


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.migrate:
        asyncio.run(_migrate(settings))
    asyncio.run(_serve(settings))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    asyncio.run(_migrate(_settings(args)))
    print("Database is up to date.")
    return 0


async def _seed_demo(settings: Settings) -> str:
    from web.seed import seed_care

    services = bootstrap(settings, sockets=False)
    try:
        await upgrade(services.engine)
        logins = await seed_care(services)
        seed_commerce = services.extras.get("seed_demo")
        hint = await seed_commerce() if seed_commerce is not None else None
    finally:
        await services.aclose()
    base = f"http://{settings.host}:{settings.port}"
    lines = [
        "",
        f"  Demo storefront (shopper): {base}/shop",
        f"  Agent console (CSR):       {base}/console",
        "",
        "  Sign in to the console as:",
    ]
    for login in logins:
        queues = ", ".join(login.queues) or "all queues"
        lines.append(
            f"    {login.username:<6} / {login.password:<16} {login.role.value:<6} ({queues})"
        )
    if isinstance(hint, str) and hint:
        lines += ["", f"  {hint}"]
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    database = Path(args.database)
    if args.reset and database.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, object] = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "CARELINE_DEMO": True,
    }
    # A demo keeps its sign-ins across restarts: a stable secret of its own, next to its data.
    if "CARELINE_SECRET" not in os.environ:
        secret_file = database.parent / "demo-secret"
        if not secret_file.exists():
            import secrets

            secret_file.write_text(secrets.token_urlsafe(32))
        overrides["CARELINE_SECRET"] = secret_file.read_text().strip()
    settings = _settings(args, **overrides)
    banner = asyncio.run(_seed_demo(settings))
    asyncio.run(_serve(settings, banner))
    return 0


async def _user_add(settings: Settings, args: argparse.Namespace, password: str) -> str:
    services = bootstrap(settings, sockets=False)
    try:
        new = accounts.NewAgent(
            username=args.username,
            name=args.name or args.username,
            password=password,
            role=Role(args.role),
            max_chats=args.max_chats,
            queues=[q for q in (args.queues or "").split(",") if q],
        )
        accounts.validate_new_agent(new)
        password_hash = await asyncio.to_thread(services.hasher.hash, password)
        agent = await services.runner.run(accounts.create_agent, services.clock, new, password_hash)
        return f"Created {agent.role.value} {agent.username} ({agent.name}), id {agent.id}."
    finally:
        await services.aclose()


async def _user_list(settings: Settings) -> str:
    services = bootstrap(settings, sockets=False)
    try:
        async with CareUnitOfWork(services.engine) as uow:
            rows = []
            for agent in await uow.agents.all():
                queues = ",".join(await uow.agents.memberships(agent.id)) or "-"
                state = "disabled" if agent.disabled else "active"
                rows.append(
                    f"{agent.username:<16} {agent.name:<24} {agent.role.value:<6} "
                    f"max {agent.max_chats:<3} {state:<8} {queues}"
                )
        return "\n".join(rows) if rows else "No CSR accounts yet."
    finally:
        await services.aclose()


async def _user_disable(settings: Settings, username: str, disabled: bool) -> str:
    services = bootstrap(settings, sockets=False)
    try:
        agent = await services.runner.run(accounts.set_disabled, services.clock, username, disabled)
        if disabled and services.redis is not None:
            # Reach the serving processes: they close this CSR's sockets.
            from chat.bus import RedisBus

            await RedisBus(services.redis, f"{settings.redis_prefix}:control").publish(
                {"kind": "revoke", "agent_id": agent.id, "session_id": None}
            )
        return f"{agent.username} is now {'disabled' if disabled else 'enabled'}."
    finally:
        await services.aclose()


def cmd_user(args: argparse.Namespace) -> int:
    settings = _settings(args)
    try:
        if args.user_command == "add":
            password = args.password
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            if password is None:
                password = getpass.getpass(f"Password for {args.username}: ")
            print(asyncio.run(_user_add(settings, args, password)))
        elif args.user_command == "list":
            print(asyncio.run(_user_list(settings)))
        elif args.user_command in ("disable", "enable"):
            disabled = args.user_command == "disable"
            print(asyncio.run(_user_disable(settings, args.username, disabled)))
    except CareError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    return 0


def _connection_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="SQLAlchemy URL (env DATABASE_URL)")
    parser.add_argument("--redis-url", help="Redis URL for several processes (env REDIS_URL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the app")
    serve.add_argument("--host", help="address to bind (env CARELINE_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (env CARELINE_PORT, default 8080)")
    serve.add_argument("--migrate", action="store_true", help="migrate the database first")
    _connection_flags(serve)
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="seed a demo database and serve it")
    demo.add_argument("--host")
    demo.add_argument("--port", type=int)
    demo.add_argument("--database", default=DEMO_DB, help=f"SQLite file (default {DEMO_DB})")
    demo.add_argument("--reset", action="store_true", help="start from a fresh database")
    demo.set_defaults(func=cmd_demo)

    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    _connection_flags(migrate)
    migrate.set_defaults(func=cmd_migrate)

    user = sub.add_parser("user", help="CSR accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="create a CSR account")
    add.add_argument("username")
    add.add_argument("--name")
    add.add_argument("--role", choices=[r.value for r in Role], default="agent")
    add.add_argument("--max-chats", type=int, default=3)
    add.add_argument("--queues", help="comma-separated queue names")
    add.add_argument("--password", help="the password (prompted for when missing)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    _connection_flags(add)
    lst = user_sub.add_parser("list", help="list CSR accounts")
    _connection_flags(lst)
    for name in ("disable", "enable"):
        toggle = user_sub.add_parser(name, help=f"{name} a CSR account")
        toggle.add_argument("username")
        _connection_flags(toggle)
    user.set_defaults(func=cmd_user)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
