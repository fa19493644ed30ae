"""Where a shopper is, for "which store near me has it?".

The demo region is Greater Boston: a small postal-code table ships with Careline, so the
availability search works without a geocoding service. Coordinates can also be given directly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from customers.errors import InvalidInput

EARTH_RADIUS_KM = 6371.0088

# ZIP code -> (place, latitude, longitude): the centre of each ZIP area, rounded.
POSTAL_CODES: dict[str, tuple[str, float, float]] = {
    "02108": ("Boston, Beacon Hill", 42.3576, -71.0685),
    "02110": ("Boston, Financial District", 42.3570, -71.0518),
    "02115": ("Boston, Fenway", 42.3429, -71.0921),
    "02116": ("Boston, Back Bay", 42.3496, -71.0764),
    "02118": ("Boston, South End", 42.3388, -71.0707),
    "02127": ("South Boston", 42.3341, -71.0393),
    "02130": ("Jamaica Plain", 42.3097, -71.1151),
    "02135": ("Brighton", 42.3470, -71.1577),
    "02138": ("Cambridge, Harvard Square", 42.3800, -71.1340),
    "02139": ("Cambridge, Central Square", 42.3647, -71.1042),
    "02141": ("Cambridge, East", 42.3705, -71.0826),
    "02143": ("Somerville, Union Square", 42.3810, -71.1000),
    "02144": ("Somerville, Davis Square", 42.4002, -71.1226),
    "02148": ("Malden", 42.4299, -71.0599),
    "02155": ("Medford", 42.4207, -71.1077),
    "02169": ("Quincy", 42.2529, -71.0023),
    "02210": ("Boston, Seaport", 42.3489, -71.0413),
    "02301": ("Brockton", 42.0834, -71.0184),
    "02420": ("Lexington", 42.4563, -71.2167),
    "02445": ("Brookline", 42.3290, -71.1340),
    "02446": ("Brookline, Coolidge Corner", 42.3437, -71.1227),
    "02451": ("Waltham", 42.3984, -71.2571),
    "02458": ("Newton", 42.3528, -71.1876),
    "02472": ("Watertown", 42.3709, -71.1828),
    "01701": ("Framingham", 42.3076, -71.4363),
    "01742": ("Concord", 42.4604, -71.3489),
    "01801": ("Woburn", 42.4829, -71.1570),
    "01890": ("Winchester", 42.4512, -71.1434),
    "03101": ("Manchester, NH", 42.9920, -71.4632),
    "02903": ("Providence, RI", 41.8205, -71.4120),
}

_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\b")


@dataclass(frozen=True, slots=True)
class GeoPoint:
    latitude: float
    longitude: float
    label: str = ""


def haversine_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance: plenty for "nearest store" at city scale."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def locate(
    *,
    postal_code: str | None = None,
    address: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> GeoPoint:
    """Turn what the shopper said into a point: coordinates, a ZIP code, or an address
    containing one."""
    if latitude is not None or longitude is not None:
        if latitude is None or longitude is None:
            raise InvalidInput("Give both latitude and longitude.", code="invalid_location")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise InvalidInput("Those coordinates are off the map.", code="invalid_location")
        return GeoPoint(latitude, longitude, f"{latitude:.4f}, {longitude:.4f}")
    code = (postal_code or "").strip()
    if not code and address:
        match = _ZIP.search(address)
        code = match.group(1) if match else ""
        if not code:
            raise InvalidInput(
                "Could not find a ZIP code in that address.",
                code="unknown_location",
                details={"address": address},
            )
    if not code:
        raise InvalidInput(
            "Say where: a ZIP code, an address with one, or coordinates.",
            code="invalid_location",
        )
    code = code[:5]
    if code not in POSTAL_CODES:
        raise InvalidInput(
            f"ZIP code {code} is outside the area Careline knows.",
            code="unknown_location",
            details={"postal_code": code},
        )
    place, lat, lon = POSTAL_CODES[code]
    return GeoPoint(lat, lon, f"{code} {place}")
