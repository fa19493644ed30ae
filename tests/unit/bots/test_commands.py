from __future__ import annotations

from collections.abc import Sequence

import pytest

from bots.commands import Command, CommandContext, CommandError, CommandResult, Registry, parse
from queues.domain import Agent, Role


def ctx(role: Role = Role.AGENT) -> CommandContext:
    return CommandContext(Agent("a1", "a1", "A One", role, 3), "c1", None)


def test_parse_splits_quoted_arguments() -> None:
    assert parse('/cancel CL1001 2 "changed mind"') == ("cancel", ["CL1001", "2", "changed mind"])


def test_parse_refuses_an_empty_command_and_bad_quotes() -> None:
    with pytest.raises(CommandError):
        parse("/")
    with pytest.raises(CommandError):
        parse('/note "unclosed')


async def test_help_lists_only_the_commands_of_the_role() -> None:
    registry = Registry()

    async def approve(context: CommandContext, args: Sequence[str]) -> CommandResult:
        return CommandResult("approved")

    registry.register(
        Command("approve", "/approve ID", "Approve.", approve, frozenset({Role.LEAD}))
    )
    agent_help = await registry.run("/help", ctx(Role.AGENT))
    lead_help = await registry.run("/help", ctx(Role.LEAD))
    assert "/approve" not in agent_help.text
    assert "/approve" in lead_help.text
    assert lead_help.card is not None and lead_help.card["type"] == "help"


async def test_unknown_command_points_to_help() -> None:
    with pytest.raises(CommandError, match="/help"):
        await Registry().run("/frobnicate", ctx())


async def test_command_outside_the_role_is_refused() -> None:
    registry = Registry()

    async def approve(context: CommandContext, args: Sequence[str]) -> CommandResult:
        return CommandResult("approved")

    registry.register(Command("approve", "/approve", "Approve.", approve, frozenset({Role.LEAD})))
    with pytest.raises(CommandError, match="role"):
        await registry.run("/approve", ctx(Role.AGENT))
