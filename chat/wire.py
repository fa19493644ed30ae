"""How Careline's Socket.IO packets are written: JSON through orjson, never binary.

python-socketio encodes every packet with the standard library's ``json`` and first walks the
whole payload looking for ``bytes`` (binary attachments). Careline's protocol is JSON only, and
every chat message is encoded three times on its way (two rooms and its sender's
acknowledgement), so both costs show up per message (``python -m bench --profile``). This
packet class encodes with orjson and does not look for attachments: a payload with bytes in it
fails to encode with a ``TypeError`` instead of going out as a binary event.

The class is handed to ``socketio.AsyncServer(serializer=...)``, which leaves the library's own
``Packet`` untouched for anything else in the process.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import socketio.packet


class OrjsonCodec:
    """The ``dumps``/``loads`` pair python-socketio calls. Writing goes through orjson, falling
    back to the standard library for what orjson cannot write (integers beyond 64 bits), so the
    frames mean exactly what they meant. Reading stays with the standard library: incoming frames
    are small, and orjson would read some valid JSON differently (integers beyond 64 bits as
    floats) or not at all (lone surrogates in ``\\u`` escapes), which the handlers must see
    as sent to answer it with a clear error."""

    @staticmethod
    def dumps(obj: Any, separators: tuple[str, str] | None = None, **_: Any) -> str:
        try:
            # Compact JSON, the separators python-socketio asks for, as UTF-8 bytes.
            return orjson.dumps(obj).decode()
        except TypeError:
            # Raises TypeError as well for what JSON cannot hold (bytes, sets, ...).
            return json.dumps(obj, separators=(",", ":"))

    @staticmethod
    def loads(text: str | bytes, **_: Any) -> Any:
        return json.loads(text)


class JsonPacket(socketio.packet.Packet):  # type: ignore[misc]
    uses_binary_events = False
    json = OrjsonCodec
