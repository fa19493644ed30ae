from __future__ import annotations

import pytest

from chat.domain import clean_text, direct_pair
from chat.ratelimit import TokenBucket
from queues.errors import InvalidInput


def test_clean_text_trims_and_keeps_markup_as_text() -> None:
    assert clean_text("  <b>hi</b>\n", 100) == "<b>hi</b>"


def test_clean_text_refuses_blank() -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_text(" \n\t", 100)
    assert caught.value.details["field"] == "text"


def test_clean_text_refuses_over_the_limit_naming_it() -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_text("x" * 4001, 4000)
    assert caught.value.details == {"field": "text", "limit": 4000}


def test_text_at_the_limit_is_kept_whole() -> None:
    assert len(clean_text("x" * 4000, 4000)) == 4000


def test_direct_pair_is_the_same_either_way() -> None:
    assert direct_pair("b", "a") == direct_pair("a", "b") == ("a", "b")


def test_token_bucket_allows_a_burst_then_refuses_then_refills() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.5  # one token back at 2 per second
    assert bucket.take() is True
    assert bucket.take() is False
