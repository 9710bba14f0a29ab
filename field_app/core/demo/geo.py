"""Where things are: township and village centres, hamlets (组) and houses, in degrees.

The county sits around 25.95 N, 115.40 E. The villages of a township lie along valleys a
few kilometres apart (3.0–3.6 km between neighbours, rows of five), so in the home
township the first and fifth village are more than 10 km apart. A village is a handful of
hamlets within 1 km of its centre; a house is within 350 m of its hamlet, hence within
1.5 km of the village centre.
"""

from __future__ import annotations

import math
from random import Random

COUNTY_CENTRE = (25.95, 115.40)
_M_PER_DEG_LAT = 111_195.0
VILLAGES_PER_ROW = 5
TOWNSHIP_SPACING_M = 17_000.0


def offset(point: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    lat, lon = point
    lat2 = lat + north_m / _M_PER_DEG_LAT
    lon2 = lon + east_m / (_M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return (lat2, lon2)


def in_disc(rng: Random, point: tuple[float, float], radius_m: float) -> tuple[float, float]:
    """A uniformly random point within ``radius_m`` of ``point``."""
    r = radius_m * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    return offset(point, r * math.cos(angle), r * math.sin(angle))


def township_centre(index: int) -> tuple[float, float]:
    """Township 0 at the county centre, the others on a square spiral around it."""
    if index == 0:
        return COUNTY_CENTRE
    ring = 1
    while (2 * ring + 1) ** 2 <= index:
        ring += 1
    position = index - (2 * ring - 1) ** 2
    side, step = divmod(position, 2 * ring)
    x, y = [(ring, -ring + step), (ring - step, ring), (-ring, ring - step), (-ring + step, -ring)][side]
    return offset(COUNTY_CENTRE, x * TOWNSHIP_SPACING_M, y * TOWNSHIP_SPACING_M)


def village_centres(rng: Random, township: tuple[float, float], count: int) -> list[tuple[float, float]]:
    """``count`` village centres in rows along a valley through the township centre."""
    heading = rng.uniform(-0.5, 0.5)  # valleys run roughly east-west, like the 贡江
    along = (math.cos(heading), math.sin(heading))
    across = (-along[1], along[0])
    rows = math.ceil(count / VILLAGES_PER_ROW)
    centres: list[tuple[float, float]] = []
    for row in range(rows):
        in_row = min(VILLAGES_PER_ROW, count - row * VILLAGES_PER_ROW)
        gaps = [rng.uniform(3_000, 3_600) for _ in range(in_row - 1)]
        position = -sum(gaps) / 2
        lateral = (row - (rows - 1) / 2) * 3_500
        for i in range(in_row):
            if i:
                position += gaps[i - 1]
            side = lateral + rng.uniform(-300, 300)
            east = position * along[0] + side * across[0]
            north = position * along[1] + side * across[1]
            centres.append(offset(township, east, north))
    return centres


__all__ = ["COUNTY_CENTRE", "in_disc", "offset", "township_centre", "village_centres"]
