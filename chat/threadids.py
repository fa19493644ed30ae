"""The ids of a conversation's threads and of the direct thread between two CSRs."""

from __future__ import annotations

from chat.domain import ThreadKind, direct_pair


def public_thread_id(conversation_id: str) -> str:
    return f"{conversation_id}:public"


def private_thread_id(conversation_id: str) -> str:
    return f"{conversation_id}:private"


def direct_thread_id(agent_a: str, agent_b: str) -> str:
    low, high = direct_pair(agent_a, agent_b)
    return f"d:{low}:{high}"


def thread_id_for(conversation_id: str, kind: ThreadKind) -> str:
    return (
        private_thread_id(conversation_id)
        if kind is ThreadKind.PRIVATE
        else public_thread_id(conversation_id)
    )
