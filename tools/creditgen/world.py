"""The world: registered entities and natural persons as pure functions of their index.

No table is held in memory: entity i and person i are computed from (seed, i) whenever a row
needs them, so the registry and the extracts agree whatever order they are drawn in.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Iterable

import numpy as np

from creditgen.identifiers import (
    USCC_VALUE, digits, mix, pick_index, registration_number, ric_vec, unit, uscc_vec,
)
from creditgen.names import (
    AGRI, ASSOC, ETYPE_CUM, ETYPE_NEW, ETYPES, FEMALE, FORMS, INDUSTRY, INSTITUTIONS, MALE, NONPROFITS,
    PLACES, ROADS, SHOPS, STATUS, SURNAME_CUM, SURNAMES, TRADE,
)
from creditgen.places import CITIES, N_REGIONS, REGIONS
from creditgen.rates import ENTITIES_PER_RECORD, MIN_ENTITIES

_REGION_DIGITS = np.array([[int(c) for c in r.code] for r in REGIONS], dtype=np.int64)
_BIRTH0 = date(1955, 1, 1).toordinal()
_NBIRTH = date(2002, 12, 31).toordinal() - _BIRTH0 + 1
_STATUS_CUM = np.cumsum([w for _, w in STATUS]) / sum(w for _, w in STATUS)


class World:
    """Entities 0..n_entities-1 are in the registry (region = index mod 17); indices above
    are valid organisations registered elsewhere. Person i is the legal representative of
    entity i; natural-person subjects are drawn from persons 0..n_persons-1."""

    def __init__(self, records: int, seed: int = 20251001, start: date = date(2025, 7, 1)):
        self.seed = int(seed)
        self.n_entities = max(MIN_ENTITIES, int(records * ENTITIES_PER_RECORD))
        self.n_persons = max(3 * self.n_entities, 300)
        self.start = start
        salt = int(mix(np.array([self.seed], dtype=np.int64), 0x5EED)[0])
        self._salt = salt
        self._b_new = salt % 31**6
        self._b_old = (salt >> 20) % 10**8
        mod = _NBIRTH * 1000
        a = 2654435761 % mod
        while math.gcd(a, mod) != 1:
            a += 1
        self._pa, self._pb = a, (salt >> 7) % mod
        self._new_from = date(2015, 10, 1).toordinal()
        self._old_from = date(1992, 1, 1).toordinal()

    def _h(self, idx: np.ndarray, f: int) -> np.ndarray:
        return mix(idx, self._salt + f * 0x632BE59BD9B4E019)

    def region_count(self, r: int) -> int:
        """Registered entities in region r (indices r, r+17, …)."""
        return (self.n_entities - r + N_REGIONS - 1) // N_REGIONS if r < self.n_entities else 0

    # -- persons -----------------------------------------------------------------------
    def persons(self, pidx: Iterable[int] | np.ndarray) -> dict[str, list]:
        p = np.asarray(pidx, dtype=np.int64)
        r = p % N_REGIONS
        k = p // N_REGIONS
        # a bijection of k within each region (distinct persons never share a number)
        perm = (k * self._pa + self._pb + r * 7_777_777) % (_NBIRTH * 1000)
        birth = _BIRTH0 + perm // 1000
        seq = perm % 1000
        ric = ric_vec(_REGION_DIGITS[r], birth, seq)
        su = np.searchsorted(SURNAME_CUM, unit(self._h(p, 1)), side="right")
        su = np.minimum(su, len(SURNAMES) - 1)
        g1 = pick_index(self._h(p, 2), 2000)
        two = unit(self._h(p, 3)) < 0.7
        male = (seq % 2) == 1
        names = []
        for s, a, t, m in zip(su.tolist(), g1.tolist(), two.tolist(), male.tolist()):
            pool = MALE if m else FEMALE
            given = pool[a % len(pool)] + (pool[(a // 47) % len(pool)] if t else "")
            names.append(SURNAMES[s] + given)
        return {"name": names, "ric": ric, "region_i": r, "birth_ord": birth}

    def person(self, p: int) -> dict[str, Any]:
        d = self.persons([p])
        return {k: (v[0] if isinstance(v, list) else v[0].item()) for k, v in d.items()}

    # -- entities ----------------------------------------------------------------------
    def entities(self, idx: Iterable[int] | np.ndarray, full: bool = False) -> dict[str, Any]:
        """Entities' codes, names and representatives; ``full`` adds the registry columns."""
        i = np.asarray(idx, dtype=np.int64)
        r = i % N_REGIONS
        t = np.minimum(np.searchsorted(ETYPE_CUM, unit(self._h(i, 11)), side="right"), len(ETYPES) - 1)
        new = unit(self._h(i, 12)) < ETYPE_NEW[t]
        uscc = self._usccs(i, r, t, new)
        u_est = unit(self._h(i, 13))
        est = np.where(new, self._new_from + (u_est * (self.start.toordinal() - 30 - self._new_from)).astype(np.int64),
                       self._old_from + (u_est * (self._new_from - 1 - self._old_from)).astype(np.int64))
        reps = self.persons(i)
        out: dict[str, Any] = {
            "idx": i, "region_i": r, "type_i": t, "uscc": uscc,
            "name": _entity_names(r, t, self._h(i, 14), unit(self._h(i, 15)), reps["name"]),
            "entity_type": [ETYPES[x][2] for x in t.tolist()],
            "subject_class": [ETYPES[x][3] for x in t.tolist()],
            "old_style": ~new, "est_ord": est,
            "rep_name": reps["name"], "rep_ric": reps["ric"],
        }
        out["org_code"] = [u[8:17] for u in uscc]
        if full:
            out.update(self._registry_details(i, r, new))
        return out

    def _usccs(self, i: np.ndarray, r: np.ndarray, t: np.ndarray, new: np.ndarray) -> list[str]:
        """New-style bodies (MA + 6 characters) or an old 8-digit organisation code."""
        body = np.empty((len(i), 8), dtype=np.int64)
        v_new = (i * 1_000_003 + self._b_new) % 31**6
        body[:, 0], body[:, 1] = USCC_VALUE["M"], USCC_VALUE["A"]
        body[:, 2:8] = (v_new[:, None] // (31 ** np.arange(5, -1, -1, dtype=np.int64))) % 31
        v_old = (i * 48_271 + self._b_old) % 10**8
        body = np.where(new[:, None], body, digits(v_old, 8))
        auth = np.array([USCC_VALUE[e[0]] for e in ETYPES], dtype=np.int64)[t]
        cat = np.array([USCC_VALUE[e[1]] for e in ETYPES], dtype=np.int64)[t]
        return uscc_vec(auth, cat, _REGION_DIGITS[r], body)

    def _registry_details(self, i: np.ndarray, r: np.ndarray, new: np.ndarray) -> dict[str, list[str]]:
        st = np.minimum(np.searchsorted(_STATUS_CUM, unit(self._h(i, 16)), side="right"), len(STATUS) - 1)
        road = pick_index(self._h(i, 17), len(ROADS))
        num = 1 + pick_index(self._h(i, 18), 2999)
        return {
            "regno": [(self.regno(ii) if old else "") for ii, old in zip(i.tolist(), (~new).tolist())],
            "status": [STATUS[x][0] for x in st.tolist()],
            "address": [_address(rr, ROADS[ro], nu) for rr, ro, nu in zip(r.tolist(), road.tolist(), num.tolist())],
            "registrar": [_registrar(rr) for rr in r.tolist()],
        }

    def regno(self, i: int) -> str:
        """Legacy 15-digit 注册号 of entity i (meaningful for entities registered before 2015)."""
        return registration_number(REGIONS[i % N_REGIONS].code + f"{(i * 7919 + self._b_old) % 10**8:08d}")

    def entity(self, i: int, full: bool = True) -> dict[str, Any]:
        d = self.entities([i], full=full)
        return {k: (v[0] if isinstance(v, list) else v[0].item()) for k, v in d.items()}


def _entity_names(r: np.ndarray, t: np.ndarray, h: np.ndarray, style_u: np.ndarray, owners: list[str]) -> list[str]:
    """Names in the style of each entity kind (company, shop, cooperative, …) and its district."""
    a1, a2 = pick_index(h, len(TRADE)), pick_index(h >> np.uint64(8), len(TRADE))
    ind = pick_index(h >> np.uint64(16), len(INDUSTRY))
    frm = pick_index(h >> np.uint64(24), len(FORMS))
    shop = pick_index(h >> np.uint64(32), len(SHOPS))
    place = pick_index(h >> np.uint64(40), len(PLACES))
    names = []
    for k in range(len(r)):
        reg = REGIONS[r[k]]
        city = CITIES[reg.city]
        district = reg.name
        trade = TRADE[a1[k]] + TRADE[a2[k]]
        style = ETYPES[t[k]][6]
        su = style_u[k]
        if style == "company":
            if su < 0.03:
                nm = f"山东{trade}{INDUSTRY[ind[k]]}有限公司{city.short_name}分公司"
            else:
                pre = city.short_name if su < 0.7 else ("山东" if su < 0.9 else city.name + district)
                nm = f"{pre}{trade}{INDUSTRY[ind[k]]}{FORMS[frm[k]]}"
        elif style == "shop":
            owner = owners[k] if su < 0.3 else trade
            nm = f"{district}{owner}{SHOPS[shop[k]]}"
        elif style == "coop":
            nm = f"{district}{trade}{AGRI[ind[k] % len(AGRI)]}专业合作社"
        elif style == "institution":
            nm = f"{city.name}{district}{PLACES[place[k]]}{INSTITUTIONS[ind[k] % len(INSTITUTIONS)]}"
        elif style == "association":
            nm = f"{city.name}{INDUSTRY[ind[k]]}{ASSOC[frm[k] % len(ASSOC)]}"
        elif style == "nonprofit":
            nm = f"{city.name}{district}{PLACES[place[k]]}{NONPROFITS[ind[k] % len(NONPROFITS)]}"
        elif style == "village":
            nm = f"{district}{SURNAMES[a1[k] % 40]}家{'庄村洼屯'[a2[k] % 4]}村股份经济合作社"
        elif style == "union":
            nm = f"{district}{PLACES[place[k]]}{trade}经济联合社"
        else:
            nm = f"{city.name}第{a1[k] % 9 + 1}军队离退休干部休养所"
        names.append(nm)
    return names


def _address(r: int, road: str, number: int) -> str:
    region = REGIONS[r]
    # a county-level city (滕州市) is written under the province, a district under its city
    prefix = "山东省" if region.name.endswith("市") else CITIES[region.city].name
    return f"{prefix}{region.name}{road}{number}号"


def _registrar(r: int) -> str:
    region = REGIONS[r]
    if region.name.endswith("市"):
        return f"{region.name}市场监督管理局"
    return f"{CITIES[region.city].name}{region.name}市场监督管理局"
