"""The world's places: three Shandong cities and the districts its entities live in.

Names and the city each district belongs to come from seeds/regions.csv; what the seed does not
say (a key for file names, abbreviations, court codes, shares of the records) is the
generator's own.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from creditgen.reference import region_rows


class City(NamedTuple):
    key: str           # in file names (2025-09_jinan_01.csv)
    name: str          # 济南市
    short_name: str    # 济南
    abbr: str          # one character: 鲁A…, 济市监罚…
    court: str         # court code in case numbers: （2025）鲁01执…
    weight: float      # share of the records


class Region(NamedTuple):
    code: str
    city: int          # index into CITIES
    name: str


# city code -> the generator's own traits: key, abbreviation, court code, weight
_CITY_TRAITS = {
    "370100": ("jinan", "济", "鲁01", 0.50),
    "370300": ("zibo", "淄", "鲁03", 0.28),
    "370400": ("zaozhuang", "枣", "鲁04", 0.22),
}
CITY_INDEX = {code: i for i, code in enumerate(_CITY_TRAITS)}


def _city(code: str) -> City:
    key, abbr, court, weight = _CITY_TRAITS[code]
    name = region_rows()[code][0]
    return City(key, name, name.removesuffix("市"), abbr, court, weight)


CITIES = tuple(_city(code) for code in _CITY_TRAITS)

# The districts the world's entities live in (entity i in the (i mod 17)-th), all in
# seeds/regions.csv; the seed's 山亭区 has no entities.
WORLD_DISTRICTS = (
    "370102", "370103", "370104", "370105", "370112", "370113", "370114",
    "370302", "370303", "370304", "370305", "370306",
    "370402", "370403", "370404", "370405", "370481",
)


def _region(code: str) -> Region:
    name, city_code = region_rows()[code]
    return Region(code, CITY_INDEX[city_code], name)


REGIONS = tuple(_region(code) for code in WORLD_DISTRICTS)
N_REGIONS = len(REGIONS)
REGION_INDEX = {r.code: i for i, r in enumerate(REGIONS)}
CITY_REGIONS = [np.array([i for i, r in enumerate(REGIONS) if r.city == c], dtype=np.int64)
                for c in range(len(CITIES))]


def city_of_region(code: str) -> int:
    """Index into CITIES of a region code of seeds/regions.csv (a city or a district)."""
    return CITY_INDEX[region_rows()[code][1]]
