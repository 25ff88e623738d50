"""Distances between points given as (latitude, longitude), for the directory's search and the
matching of a referral to activities nearby."""

import math

from django.db.models import Q

# On the sphere of mean Earth radius (6371.0088 km), one degree is 111.195 km of latitude,
# and as much of longitude times the cosine of the latitude.
KM_PER_DEGREE_LATITUDE = 2 * math.pi * 6371.0088 / 360
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = KM_PER_DEGREE_LATITUDE


def bounding_box(origin, radius_km: float) -> Q:
    latitude, longitude = origin
    d_lat = radius_km / KM_PER_DEGREE_LATITUDE
    d_lon = radius_km / (KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude)))
    return Q(
        place__latitude__range=(latitude - d_lat, latitude + d_lat),
        place__longitude__range=(longitude - d_lon, longitude + d_lon),
    )


def distance_km(origin, latitude, longitude) -> float | None:
    if origin is None or latitude is None:
        return None
    k_lon = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(origin[0]))
    dy = (latitude - origin[0]) * KM_PER_DEGREE_LATITUDE
    dx = (longitude - origin[1]) * k_lon
    return math.sqrt(dx * dx + dy * dy)
