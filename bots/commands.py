"""Slash commands: the parser and the registry. A CSR's chat text starting with ``/`` is a
command for Careline, never a message to the shopper."""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from queues.domain import Agent, Role


@dataclass(frozen=True, slots=True)
class CommandContext:
    agent: Agent
    conversation_id: str
    customer_id: str | None


@dataclass(frozen=True, slots=True)
class CommandResult:
    """What a command says: ``text`` (and ``card``) to the CSRs in the private thread, and
    ``customer_text`` to the shopper when the shopper should know."""

    text: str
    card: dict[str, Any] | None = None
    customer_text: str | None = None


class CommandError(Exception):
    code = "bad_command"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


CommandHandler = Callable[[CommandContext, Sequence[str]], Awaitable[CommandResult]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    usage: str
    summary: str
    handler: CommandHandler
    roles: frozenset[Role] = field(default_factory=lambda: frozenset(Role))


def parse(text: str) -> tuple[str, list[str]]:
    """``/cancel CL1001 2 "changed mind"`` → ("cancel", ["CL1001", "2", "changed mind"])."""
    body = text.strip()[1:]
    try:
        words = shlex.split(body)
    except ValueError as exc:
        raise CommandError(f"Could not read the command: {exc}.") from None
    if not words:
        raise CommandError("Type a command after the slash; /help lists them.")
    return words[0].lower(), words[1:]


class Registry:
    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}
        self.register(Command("help", "/help", "List the commands you may run.", self._help))

    def register(self, command: Command) -> None:
        self._commands[command.name] = command

    def available_to(self, role: Role) -> list[Command]:
        return [c for c in sorted(self._commands.values(), key=lambda c: c.name) if role in c.roles]

    async def _help(self, ctx: CommandContext, args: Sequence[str]) -> CommandResult:
        commands = self.available_to(ctx.agent.role)
        lines = [f"{c.usage} — {c.summary}" for c in commands]
        return CommandResult(
            text="Commands:\n" + "\n".join(lines),
            card={
                "type": "help",
                "commands": [{"usage": c.usage, "summary": c.summary} for c in commands],
            },
        )

    async def run(self, text: str, ctx: CommandContext) -> CommandResult:
        name, args = parse(text)
        command = self._commands.get(name)
        if command is None:
            raise CommandError(f"Unknown command /{name}. Type /help for the list.")
        if ctx.agent.role not in command.roles:
            raise CommandError(f"/{name} is not open to your role ({ctx.agent.role.value}).")
        return await command.handler(ctx, args)
