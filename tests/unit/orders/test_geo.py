"""Where the shopper is, and how far the stores are."""

from __future__ import annotations

import pytest

from customers.errors import DomainError
from orders.catalog.geo import GeoPoint, haversine_km, locate


def test_haversine_boston_to_providence() -> None:
    boston = GeoPoint(42.3601, -71.0589)
    providence = GeoPoint(41.8240, -71.4128)
    assert 65 < haversine_km(boston, providence) < 70
    assert haversine_km(boston, boston) == 0


def test_locate_by_zip_by_address_and_by_coordinates() -> None:
    assert locate(postal_code="02139").label == "02139 Cambridge, Central Square"
    assert locate(address="12 Elm St, Cambridge, MA 02139-4307").latitude == 42.3647
    assert locate(latitude=42.0, longitude=-71.0).latitude == 42.0


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ({"postal_code": "99999"}, "unknown_location"),
        ({"address": "somewhere nice"}, "unknown_location"),
        ({"latitude": 42.0}, "invalid_location"),
        ({"latitude": 95.0, "longitude": 0.0}, "invalid_location"),
        ({}, "invalid_location"),
    ],
)
def test_unknown_or_incomplete_locations_are_refused(where: dict[str, object], code: str) -> None:
    with pytest.raises(DomainError) as refused:
        locate(**where)  # type: ignore[arg-type]
    assert refused.value.code == code
