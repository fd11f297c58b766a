"""What every extract kind draws from in one generation: the world, the working-day calendar,
decision and submission dates, departments and their running document numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Sequence

import numpy as np

from creditgen.dates import iso_dates, working_days, years_of
from creditgen.departments import DEPARTMENTS, DEPT_PARENT, DOMAIN_WEIGHT, dept_weights
from creditgen.rates import SHARE_DECISION_ON_WORKDAY, SHARE_DELIVERED_BY_CITY, SHARE_LATE, SHARE_SAME_DAY
from creditgen.world import World

# submission clock times: office hours, a lunch break, a few late evenings
_HOUR_WEIGHTS = np.array([1, 1, 1, 1, 1, 1, 2, 6, 30, 60, 70, 60, 20, 15, 55, 65, 60, 45, 20, 8, 6, 4, 2, 1], float)


@dataclass
class Chunk:
    """Rows of one kind as columns, with what splitting them into files and messing them needs."""

    cols: dict[str, list]
    city: np.ndarray
    sub_ord: np.ndarray
    decision_ord: np.ndarray | None
    group_month: list[str] | None = None      # per-row month label (repair), else the chunk's
    no_legacy: np.ndarray | None = None       # rows that must keep their USCC
    extra: dict[str, Any] = field(default_factory=dict)


DomainChoices = dict[str, tuple[np.ndarray, np.ndarray]]  # domain -> (template ids, probabilities)


def by_domain(templates: Mapping[str, Sequence[Any]]) -> tuple[list[Any], DomainChoices]:
    """Per-domain template lists flattened, with each domain's ids and weights."""
    flat: list[Any] = []
    choices: DomainChoices = {}
    for dom, ts in templates.items():
        ids = np.arange(len(flat), len(flat) + len(ts))
        flat.extend(ts)
        w = np.array([t.weight for t in ts], float)
        choices[dom] = (ids, w / w.sum())
    return flat, choices


class Context:
    def __init__(self, world: World, seed: int, messy: bool, start: date, end: date):
        self.world, self.messy = world, messy
        self.start, self.end = start.toordinal(), end.toordinal()
        self.wd = working_days(self.start - 40, self.end + 400)
        trng = np.random.default_rng([seed, 99])
        hh = trng.choice(24, size=4096, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
        mm, ss = trng.integers(0, 60, 4096), trng.integers(0, 60, 4096)
        self.times = np.array([f"{h:02d}:{m:02d}:{s:02d}" for h, m, s in zip(hh, mm, ss)], dtype=object)
        self.counters: dict[tuple, int] = {}
        self.w_dept = {k: dept_weights(k) for k in DOMAIN_WEIGHT}

    def depts(self, rng, kind: str, n: int) -> np.ndarray:
        return rng.choice(len(DEPARTMENTS), size=n, p=self.w_dept[kind])

    def templates(self, rng, depts: np.ndarray, choices: DomainChoices) -> np.ndarray:
        """A template id per row, among those of the row's department domain."""
        out = np.zeros(len(depts), dtype=np.int64)
        for d in np.unique(depts):
            sel = np.nonzero(depts == d)[0]
            ids, p = choices[DEPARTMENTS[d].domain]
            out[sel] = rng.choice(ids, size=len(sel), p=p)
        return out

    def source(self, rng, depts: np.ndarray) -> np.ndarray:
        """The delivering department: mostly the deciding one, sometimes its city-level counterpart."""
        by_city = rng.random(len(depts)) < SHARE_DELIVERED_BY_CITY
        return np.where(by_city, DEPT_PARENT[depts], depts)

    def decisions(self, rng, n: int, a: int, b: int) -> np.ndarray:
        wd = self.wd[(self.wd >= a) & (self.wd <= b)]
        anyday = a + rng.integers(0, b - a + 1, n)
        if len(wd) == 0:
            return anyday
        on_wd = wd[rng.integers(0, len(wd), n)]
        return np.where(rng.random(n) < SHARE_DECISION_ON_WORKDAY, on_wd, anyday)

    def submissions(self, rng, dec: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """报送时间 a few working days after the decision (some the same day, some late), never
        after the extraction date."""
        n = len(dec)
        u = rng.random(n)
        k = rng.choice(np.arange(1, 8), size=n, p=[0.30, 0.22, 0.15, 0.10, 0.08, 0.08, 0.07])
        late = 8 + np.minimum(rng.geometric(0.12, n) - 1, 50)
        k = np.where(u < SHARE_SAME_DAY, 0, np.where(u > 1 - SHARE_LATE, late, k))
        pos = np.searchsorted(self.wd, dec, side="right")
        sub = np.where(k == 0, dec, self.wd[np.minimum(pos + k - 1, len(self.wd) - 1)])
        sub = np.minimum(sub, self.end)
        sub = np.maximum(sub, dec)
        t = rng.integers(0, len(self.times), n)
        return sub, [d + " " + tm for d, tm in zip(iso_dates(sub), self.times[t].tolist())]

    def datetimes(self, rng, ords: np.ndarray) -> list[str]:
        t = rng.integers(0, len(self.times), len(ords))
        return [d + " " + tm for d, tm in zip(iso_dates(ords), self.times[t].tolist())]

    def seq(self, tag: str, depts: np.ndarray, dec: np.ndarray) -> np.ndarray:
        """Running document numbers per department and year, in decision order."""
        years = years_of(dec)
        key = depts.astype(np.int64) * 10_000 + years
        order = np.lexsort((dec, key))
        sk = key[order]
        uniq, first, counts = np.unique(sk, return_index=True, return_counts=True)
        rank = np.arange(len(sk)) - np.repeat(first, counts)
        base = np.array([self.counters.get((tag, int(k)), 0) for k in uniq], dtype=np.int64)
        for k, b, c in zip(uniq.tolist(), base.tolist(), counts.tolist()):
            self.counters[(tag, k)] = b + c
        seq = np.empty(len(sk), dtype=np.int64)
        seq[order] = np.repeat(base, counts) + rank + 1
        return seq
