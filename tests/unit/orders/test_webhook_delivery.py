"""The webhook policy without storage or network: body, signature, backoff."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest

from orders.webhooks.delivery import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    RetryPolicy,
    event_body,
    sign,
    signature_header,
    signed_headers,
    verify_signature,
)

SECRET = "whsec_test_0123456789"
BODY = b'{"id":"evt_1","type":"order.created","occurred_at":"2026-11-23T10:00:00+00:00","data":{}}'
T = 1_795_000_000


def test_the_signature_is_an_hmac_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, T, BODY) == expected
    assert signature_header(SECRET, T, BODY) == f"t={T},v1={expected}"
    headers = signed_headers(SECRET, "evt_1", T, BODY)
    assert headers[EVENT_ID_HEADER] == "evt_1"
    assert headers[TIMESTAMP_HEADER] == str(T)
    assert headers[SIGNATURE_HEADER] == f"t={T},v1={expected}"
    assert headers["Content-Type"] == "application/json"


def test_a_receiver_accepts_only_the_right_signature_in_time() -> None:
    header = signature_header(SECRET, T, BODY)
    assert verify_signature(SECRET, header, BODY, now=T)
    assert verify_signature(SECRET, header, BODY, 300, now=T + 299)
    assert verify_signature(SECRET, header, BODY, 300, now=T - 299)
    # Replayed too late, or from the future.
    assert not verify_signature(SECRET, header, BODY, 300, now=T + 301)
    assert not verify_signature(SECRET, header, BODY, 300, now=T - 301)
    # Another secret, another body, a timestamp changed after signing.
    assert not verify_signature("another-secret", header, BODY, now=T)
    assert not verify_signature(SECRET, header, BODY + b" ", now=T)
    forged = header.replace(f"t={T}", f"t={T + 1}")
    assert not verify_signature(SECRET, forged, BODY, now=T)


@pytest.mark.parametrize(
    "header",
    ["", "garbage", f"t={T}", "v1=abc", f"t=soon,v1={'0' * 64}", f"t={T},v1="],
)
def test_a_malformed_signature_header_is_refused(header: str) -> None:
    assert not verify_signature(SECRET, header, BODY, now=T)


def test_any_of_several_signatures_may_match_during_a_secret_rotation() -> None:
    old = sign("old-secret", T, BODY)
    new = sign(SECRET, T, BODY)
    assert verify_signature(SECRET, f"t={T},v1={old},v1={new}", BODY, now=T)
    assert verify_signature("old-secret", f"t={T}, v1={old}, v1={new}", BODY, now=T)


def test_the_body_is_the_event_as_integrators_receive_it() -> None:
    payload = {
        "id": "evt_9",
        "type": "order.shipped",
        "aggregate": "order",
        "aggregate_id": "ord_1",
        "version": 7,
        "occurred_at": "2026-11-23T10:00:00+00:00",
        "data": {"number": "CL100001", "note": "café"},
    }
    body = event_body(payload)
    assert json.loads(body) == {
        "id": "evt_9",
        "type": "order.shipped",
        "occurred_at": "2026-11-23T10:00:00+00:00",
        "data": {"number": "CL100001", "note": "café"},
    }
    assert b" " not in body.replace(b"caf\xc3\xa9", b"")


def test_the_default_backoff_doubles_from_30_seconds_up_to_6_hours() -> None:
    policy = RetryPolicy()
    seconds = [delay.total_seconds() for delay in policy.schedule()]
    assert seconds == [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600]
    assert len(seconds) == policy.max_attempts - 1
    # About fifteen hours from the first attempt to the last.
    assert timedelta(hours=14) < sum(policy.schedule(), timedelta()) < timedelta(hours=15)


def test_jitter_stretches_a_wait_by_at_most_its_share() -> None:
    policy = RetryPolicy(base_seconds=10, jitter=0.2, cap_seconds=1000)
    assert policy.delay(1, 0.0) == timedelta(seconds=10)
    assert policy.delay(1, 0.5) == timedelta(seconds=11)
    assert policy.delay(3, 0.999) < timedelta(seconds=48)
    # Out-of-range numbers are clamped, a huge attempt number stays at the cap.
    assert policy.delay(2, 7.0) == timedelta(seconds=24)
    assert policy.delay(2, -1.0) == timedelta(seconds=20)
    assert policy.delay(500) == timedelta(seconds=1000)


def test_the_policy_gives_up_after_the_last_attempt() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert [policy.gives_up(n) for n in (1, 2, 3, 4)] == [False, False, True, True]
    assert len(policy.schedule()) == 2
