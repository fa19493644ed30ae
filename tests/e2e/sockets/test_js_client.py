"""The official Socket.IO JavaScript client speaks Careline's protocol as documented."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from tests.e2e.conftest import Server
from tests.e2e.peers import login

SCENARIO = Path(__file__).parent.parent / "js" / "scenario.cjs"
CLIENT = Path(__file__).parents[3] / "web" / "frontend" / "node_modules" / "socket.io-client"


async def test_a_care_conversation_with_socket_io_client_for_javascript(server: Server) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed (the front-end build needs it too)"
    assert CLIENT.exists(), "run scripts/setup: it installs the front-end's packages"
    await server.add_agent("alex")
    token = await login(server.url, "alex", "alex-pass-123")
    process = await asyncio.create_subprocess_exec(
        node,
        str(SCENARIO),
        server.url,
        token,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    seen = json.loads(out.decode().strip().splitlines()[-1])

    assert seen["watch"] == {"ok": True, "waiting": []}
    assert seen["started"]["conversation"]["position"] == 1
    assert seen["request"]["waiting"][0]["name"] == "Jess"
    assert seen["accept"]["ok"] and seen["accept"]["messages"][0]["text"] == "Is M big?"
    assert seen["status"]["agent"] == {"name": "Alex"}
    assert seen["heard"]["text"] == "It runs large."
    assert seen["resend"]["message"] == seen["mine"]["message"]
    assert seen["resumed"]["conversation"]["id"] == seen["started"]["conversation"]["id"]
    assert [m["text"] for m in seen["sync"]["messages"]] == ["While you were away"]
    assert seen["bad"]["error"]["code"] == "invalid_payload"
    assert seen["bad"]["error"]["details"]["field"] == "client_id"
    assert seen["privateSync"]["error"]["code"] == "not_found"
    assert seen["close"] == {"ok": True}
    assert seen["closed"]["status"] == "closed"
    assert seen["refused"]["data"]["code"] == "unauthorized"
