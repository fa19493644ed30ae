"""Coroutines started at once: what finishes without waiting is done in the call; the rest
goes on in a task, as if it had been one from the start."""

from __future__ import annotations

import asyncio

import pytest

from chat.eager import start_eagerly


async def test_a_coroutine_that_never_waits_is_done_in_the_call() -> None:
    done: list[str] = []

    async def deliver() -> None:
        done.append("sent")

    assert start_eagerly(deliver()) is None
    assert done == ["sent"]


async def test_the_rest_goes_on_in_a_task_with_what_it_waited_for() -> None:
    steps: list[str] = []
    gate: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def deliver() -> str:
        steps.append("before")
        value = await gate
        steps.append(f"after {value}")
        await asyncio.sleep(0)
        return value.upper()

    task = start_eagerly(deliver())
    assert steps == ["before"]
    assert task is not None and not task.done()
    gate.set_result("ok")
    assert await task == "OK"
    assert steps == ["before", "after ok"]


async def test_errors_reach_the_caller_or_the_task() -> None:
    async def broken_at_once() -> None:
        raise ValueError("at once")

    with pytest.raises(ValueError, match="at once"):
        start_eagerly(broken_at_once())

    gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def waits() -> None:
        await gate

    task = start_eagerly(waits())
    assert task is not None
    gate.set_exception(RuntimeError("the wait failed"))
    with pytest.raises(RuntimeError, match="the wait failed"):
        await task

    gate2: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    later = start_eagerly(_wait_then_fail(gate2))
    assert later is not None
    gate2.set_result(None)
    with pytest.raises(KeyError):
        await later


async def _wait_then_fail(gate: asyncio.Future[None]) -> None:
    await gate
    raise KeyError("later")


async def test_cancelling_the_task_cancels_the_coroutine_where_it_waits() -> None:
    cleaned: list[str] = []

    async def deliver() -> None:
        try:
            await asyncio.sleep(60)
        finally:
            cleaned.append("cleaned up")

    task = start_eagerly(deliver())
    assert task is not None
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cleaned == ["cleaned up"]
