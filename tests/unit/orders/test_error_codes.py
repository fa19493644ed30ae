"""Every refusal the order desk can give has a stable code the transports know."""

from __future__ import annotations

import re
from pathlib import Path

from web.errors import STATUS_BY_CODE, http_status

ROOT = Path(__file__).resolve().parents[3]
_CODES = re.compile(r'(?:refuse\(\s*"([a-z_]+)"|code\s*=\s*"([a-z_]+)")', re.S)


def raised_codes() -> set[str]:
    found: set[str] = set()
    for package in ("orders", "customers"):
        for path in (ROOT / package).rglob("*.py"):
            for match in _CODES.finditer(path.read_text()):
                found.add(match.group(1) or match.group(2))
    found.discard("refused")  # the base class default, never raised as such
    return found


def test_every_code_has_an_http_status() -> None:
    codes = raised_codes()
    assert len(codes) > 80
    assert sorted(codes - STATUS_BY_CODE.keys()) == []


def test_codes_are_snake_case_and_statuses_make_sense() -> None:
    for code in raised_codes():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code), code
    assert http_status("cart_locked") == 409
    assert http_status("version_conflict") == 409
    assert http_status("limit_exceeded") == 403
    assert http_status("card_number_not_allowed") == 422
    assert http_status("not_found") == 404
