"""Careline's Socket.IO packets: orjson on the wire, the same frames as the standard library's
``json`` would give, and never a binary event."""

from __future__ import annotations

import json

import pytest
import socketio.packet

from chat.wire import JsonPacket, OrjsonCodec


def test_an_event_is_encoded_as_the_stock_packet_class_does() -> None:
    data = ["chat:message", {"text": 'héllo 😀 "quoted" </script>', "seq": 3, "card": None}]
    ours = JsonPacket(socketio.packet.EVENT, data, namespace="/agent").encode()
    stock = socketio.packet.Packet(socketio.packet.EVENT, data, namespace="/agent").encode()
    assert ours.startswith('2/agent,["chat:message",')
    assert json.loads(ours[len("2/agent,") :]) == json.loads(stock[len("2/agent,") :]) == data


def test_an_acknowledgement_keeps_its_id() -> None:
    encoded = JsonPacket(socketio.packet.ACK, [{"ok": True}], namespace="/customer", id=12).encode()
    assert encoded == '3/customer,12[{"ok":true}]'


def test_a_client_packet_decodes() -> None:
    pkt = JsonPacket(encoded_packet='2/customer,5["chat:send",{"text":"hi","n":1.5}]')
    assert (pkt.packet_type, pkt.namespace, pkt.id) == (socketio.packet.EVENT, "/customer", 5)
    assert pkt.data == ["chat:send", {"text": "hi", "n": 1.5}]


@pytest.mark.parametrize(
    "text",
    [
        '["chat:send",{"text":"\\ud800"}]',  # a lone surrogate: orjson would refuse it
        '["chat:send",{"after_seq":123456789012345678901234567890}]',  # orjson: a float
        '["chat:send",{"after_seq":NaN}]',  # not JSON, but the standard library reads it
    ],
)
def test_frames_read_as_the_standard_library_reads_them(text: str) -> None:
    assert repr(OrjsonCodec.loads(text)) == repr(json.loads(text))


def test_bytes_are_refused_instead_of_sent_as_a_binary_event() -> None:
    pkt = JsonPacket(socketio.packet.EVENT, ["chat:message", {"blob": b"\x00\x01"}])
    assert pkt.packet_type == socketio.packet.EVENT
    with pytest.raises(TypeError):
        pkt.encode()


def test_numbers_beyond_64_bits_still_encode() -> None:
    assert OrjsonCodec.dumps({"n": 2**70}) == '{"n":1180591620717411303424}'
