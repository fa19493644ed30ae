"""Engine.IO's long-polling transport, with two of python-engineio's asyncio behaviours put
right for Careline's server.

- A poll is answered with no more packets than any Engine.IO client reads in one answer.
  python-engineio's own client (under python-socketio's) refuses a polling answer of more than
  16 packets (``engineio.payload.Payload.max_decode_packets``) and drops its connection; the
  server, though, answers a poll with every packet waiting. Events written to a room in the
  call that emits them (``chat.fanout``) make a burst queue up for a polling client between
  two of its polls, so a poll takes at most that many and leaves the rest, in order, for the
  next one.
- A poll waiting when its connection closes is answered at once. The library's threaded server
  wakes it; its asyncio server leaves it waiting until the ping timeout (45 s), and a server
  shutting down waits for it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from engineio import exceptions, packet, payload

MAX_POLL_PACKETS = payload.Payload.max_decode_packets


def adapt_polling(socket: Any) -> None:
    """Put both behaviours right on this one Engine.IO socket
    (``engineio.async_socket.AsyncSocket``: its ``poll`` and ``close`` replaced on the
    instance)."""
    queue: asyncio.Queue[packet.Packet | None] = socket.queue
    library_close = socket.close

    async def poll() -> list[packet.Packet]:
        server = socket.server
        try:
            first = await asyncio.wait_for(queue.get(), server.ping_interval + server.ping_timeout)
        except (TimeoutError, asyncio.CancelledError):
            raise exceptions.QueueEmpty() from None
        queue.task_done()
        if first is None:  # the connection is closed
            return []
        packets = [first]
        while len(packets) < MAX_POLL_PACKETS and not queue.empty():
            pkt = queue.get_nowait()
            queue.task_done()
            if pkt is None:
                queue.put_nowait(None)  # the next poll sees the close
                break
            packets.append(pkt)
        return packets

    async def close(*args: Any, **kwargs: Any) -> None:
        await library_close(*args, **kwargs)
        if not socket.upgraded:
            queue.put_nowait(None)  # ends the poll waiting, if any

    socket.poll = poll
    socket.close = close
