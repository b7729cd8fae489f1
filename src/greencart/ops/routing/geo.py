"""Distances and places.

Road distance = great-circle (haversine) distance x a road factor (circuity).
The default 1.3 sits in the range of country circuity factors reported by
Ballou, Rahardja and Sakai (2002), Transportation Research Part A 36(9); set
``road_factor`` in the fleet file for your city.

The demo's shoppers have no addresses: :func:`synthetic_point` places each one
deterministically (a hash of its id and a seed) in a disc around the depot,
uniform in area. These points are synthetic and labelled so.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

import numpy as np

from greencart.errors import InvalidParameter
from greencart.ops.routing.models import Point

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
DEMO_DEPOT = Point(51.5226, -0.0836)  # synthetic depot (east London), demo data only
DEMO_RADIUS_KM = 8.0


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in km on a sphere of the mean Earth radius."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_matrix_km(points: Sequence[Point], road_factor: float = 1.3) -> np.ndarray:
    """Symmetric road-distance matrix (km), haversine x road factor, vectorised."""
    if road_factor < 1:
        raise InvalidParameter(f"Expected road_factor >= 1, got {road_factor}")
    lat = np.radians([p.lat for p in points])[:, None]
    lon = np.radians([p.lon for p in points])[:, None]
    dphi, dlmb = lat - lat.T, lon - lon.T
    h = np.sin(dphi / 2) ** 2 + np.cos(lat) * np.cos(lat.T) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))) * road_factor


def synthetic_point(key: str, depot: Point = DEMO_DEPOT, radius_km: float = DEMO_RADIUS_KM,
                    seed: int = 0) -> Point:
    """A deterministic point for ``key`` in a disc of ``radius_km`` around ``depot``."""
    digest = hashlib.sha256(f"greencart-route:{seed}:{key}".encode()).digest()
    u1 = int.from_bytes(digest[:8], "big") / 2**64
    u2 = int.from_bytes(digest[8:16], "big") / 2**64
    r_km = radius_km * math.sqrt(u1)
    theta = 2 * math.pi * u2
    dlat = (r_km * math.cos(theta)) / EARTH_RADIUS_KM
    dlon = (r_km * math.sin(theta)) / (EARTH_RADIUS_KM * math.cos(math.radians(depot.lat)))
    return Point(depot.lat + math.degrees(dlat), depot.lon + math.degrees(dlon))
