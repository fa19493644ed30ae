"""Starting a coroutine at once, in the call that starts it, as Python 3.12's eager tasks do.

``asyncio.create_task`` runs nothing before the next turn of the event loop. Where a coroutine
usually finishes without ever waiting (delivering a stored chat message to the sockets of its
rooms writes to each and returns), that turn is pure latency: under load a turn of the loop
takes milliseconds. :func:`start_eagerly` runs the coroutine up to its first wait right away and
hands only the rest, if there is any, to a task.

The coroutine's first steps run outside any task: this is for code that does not need one
(``asyncio.timeout`` and libraries built on it refuse to run outside a task, loudly).
"""

from __future__ import annotations

import asyncio
import types
from collections.abc import Coroutine, Generator
from typing import Any, TypeVar

T = TypeVar("T")


def start_eagerly(coro: Coroutine[Any, Any, T]) -> asyncio.Task[T] | None:
    """Run ``coro`` until it first waits. None if it finished (its result is dropped, an
    exception it raised is raised here); otherwise the task that runs the rest of it."""
    try:
        waiting_for = coro.send(None)
    except StopIteration:
        return None
    return asyncio.get_running_loop().create_task(_rest(coro, waiting_for))


async def _rest(coro: Coroutine[Any, Any, T], waiting_for: Any) -> T:
    return await _resume(coro, waiting_for)


@types.coroutine
def _resume(coro: Coroutine[Any, Any, T], waiting_for: Any) -> Generator[Any, Any, T]:
    """Go on with ``coro``, first handing its task what it was waiting for: what ``await``
    (``yield from``) does for a coroutine that has not started."""
    while True:
        try:
            sent = yield waiting_for
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:  # cancellation included: the coroutine decides
            try:
                waiting_for = coro.throw(exc)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
        else:
            try:
                waiting_for = coro.send(sent)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
