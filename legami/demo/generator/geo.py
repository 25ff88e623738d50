"""Where generated places lie.

Every comune has a point once `load_comuni` has run (territory/data/comuni-coordinate.csv),
but a few comuni newer than the file have none, and benchmarks need a position for every
generated place: a comune without one gets a
SYNTHETIC position: a stable pseudo-random point inside a rough bounding box of its province,
derived from its ISTAT code alone (the same comune always lands in the same spot, whatever the
seed). These positions are for load tests only: they are never written to territory.Comune
and may even fall outside the province's real outline.
"""

import hashlib

# Rough bounding boxes (south, north, west, east) of the provinces of Lombardia, keyed by the
# code Legami stores for the province (ISTAT's supra-municipal unit: Milano is 215).
PROVINCE_BOXES = {
    "012": (45.60, 46.12, 8.58, 8.98),  # Varese
    "013": (45.66, 46.20, 8.90, 9.40),  # Como
    "014": (46.02, 46.58, 9.25, 10.55),  # Sondrio
    "015": (45.33, 45.63, 8.75, 9.50),  # Milano (historical code)
    "215": (45.33, 45.63, 8.75, 9.50),  # Milano (metropolitan city)
    "016": (45.48, 46.05, 9.47, 10.20),  # Bergamo
    "017": (45.28, 46.25, 9.88, 10.60),  # Brescia
    "018": (44.70, 45.35, 8.60, 9.50),  # Pavia
    "019": (44.98, 45.52, 9.48, 10.50),  # Cremona
    "020": (44.92, 45.38, 10.40, 11.35),  # Mantova
    "097": (45.70, 46.12, 9.28, 9.58),  # Lecco
    "098": (45.12, 45.43, 9.33, 9.82),  # Lodi
    "108": (45.55, 45.72, 9.08, 9.42),  # Monza e della Brianza
}
# Fallback for a province not listed and without any comune with coordinates: central Italy.
DEFAULT_BOX = (42.0, 43.0, 12.0, 13.0)
ITALY_LATITUDE = (35.4, 47.1)
ITALY_LONGITUDE = (6.6, 18.6)
# How far places spread around their comune's centre (one standard deviation, in degrees).
SPREAD_LATITUDE = 0.010  # ~1.1 km
SPREAD_LONGITUDE = 0.014  # ~1.1 km at 45° N


def _fractions(key: str) -> tuple[float, float]:
    digest = hashlib.sha256(key.encode()).digest()
    return (
        int.from_bytes(digest[:4], "big") / 2**32,
        int.from_bytes(digest[4:8], "big") / 2**32,
    )


def province_box(province_code: str, known: list[tuple[float, float]]) -> tuple:
    """The box synthetic positions are drawn in: the table above, else the extent of the
    province's comuni that have real coordinates, else DEFAULT_BOX."""
    if province_code in PROVINCE_BOXES:
        return PROVINCE_BOXES[province_code]
    if known:
        lats = [p[0] for p in known]
        lons = [p[1] for p in known]
        return (min(lats) - 0.2, max(lats) + 0.2, min(lons) - 0.2, max(lons) + 0.2)
    return DEFAULT_BOX


def synthetic_position(istat_code: str, box: tuple) -> tuple[float, float]:
    """A stable point inside the middle 80% of `box`, from the ISTAT code only."""
    south, north, west, east = box
    fy, fx = _fractions(istat_code)
    return (
        round(south + (0.1 + 0.8 * fy) * (north - south), 5),
        round(west + (0.1 + 0.8 * fx) * (east - west), 5),
    )


def comune_positions(comuni) -> dict[int, tuple[float, float]]:
    """comune pk -> (latitude, longitude): the real centre where Legami has one, else a
    synthetic position (see the module's docstring)."""
    known_by_province: dict[str, list] = {}
    for comune in comuni:
        if comune.latitude is not None:
            known_by_province.setdefault(comune.province.code, []).append(
                (float(comune.latitude), float(comune.longitude))
            )
    positions = {}
    for comune in comuni:
        if comune.latitude is not None:
            positions[comune.pk] = (float(comune.latitude), float(comune.longitude))
        else:
            box = province_box(comune.province.code, known_by_province.get(comune.province.code))
            positions[comune.pk] = synthetic_position(comune.istat_code, box)
    return positions


def scatter(rng, centre: tuple[float, float]) -> tuple[float, float]:
    """A point near `centre`, normally distributed, clamped inside Italy."""
    latitude = centre[0] + rng.gauss(0, SPREAD_LATITUDE)
    longitude = centre[1] + rng.gauss(0, SPREAD_LONGITUDE)
    latitude = min(max(latitude, ITALY_LATITUDE[0]), ITALY_LATITUDE[1])
    longitude = min(max(longitude, ITALY_LONGITUDE[0]), ITALY_LONGITUDE[1])
    return round(latitude, 6), round(longitude, 6)
