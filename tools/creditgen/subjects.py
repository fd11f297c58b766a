"""Who a record is about: an entity of the registry (or registered elsewhere) or a natural
person, near the deciding department, with the subject columns of the contract."""

from __future__ import annotations

from typing import Any

import numpy as np

from creditgen.departments import DEPT_CITY, DEPT_REGION_I
from creditgen.places import CITIES, CITY_REGIONS, N_REGIONS, REGIONS
from creditgen.rates import SHARE_OUTSIDE_REGISTRY
from creditgen.world import World


def _subject_regions(rng, depts: np.ndarray) -> np.ndarray:
    """Mostly the department's own district; a city-level department's subjects anywhere in its city."""
    n = len(depts)
    city = DEPT_CITY[depts]
    reg = np.empty(n, dtype=np.int64)
    for c in range(len(CITIES)):
        sel = np.nonzero(city == c)[0]
        reg[sel] = CITY_REGIONS[c][rng.integers(0, len(CITY_REGIONS[c]), len(sel))]
    own = DEPT_REGION_I[depts]
    return np.where((own >= 0) & (rng.random(n) < 0.9), own, reg)


def _entity_idx(world: World, rng, regions: np.ndarray, allow_outside: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Skewed choice of an entity in each region; some registered elsewhere."""
    kmax = np.array([max(1, world.region_count(r)) for r in range(N_REGIONS)], dtype=np.int64)[regions]
    k = np.minimum((rng.random(len(regions)) ** 1.8 * kmax).astype(np.int64), kmax - 1)
    idx = k * N_REGIONS + regions
    inside = idx < world.n_entities
    if allow_outside:
        outside = rng.random(len(regions)) < SHARE_OUTSIDE_REGISTRY
        far = world.n_entities // N_REGIONS + 2 + rng.integers(0, 10 * kmax.max() + 10, len(regions))
        far = far * N_REGIONS + regions
        idx = np.where(outside, far, idx)
        inside = inside & ~outside
    return idx, inside


def _person_idx(world: World, rng, regions: np.ndarray) -> np.ndarray:
    kmax = max(1, world.n_persons // N_REGIONS)
    return rng.integers(0, kmax, len(regions)) * N_REGIONS + regions


def subjects(world: World, rng, depts: np.ndarray, person_share: np.ndarray, allow_outside: bool = True) -> dict[str, Any]:
    """Subject columns (license/penalty naming) for each row."""
    n = len(depts)
    regions = _subject_regions(rng, depts)
    is_person = rng.random(n) < person_share
    eidx, inside = _entity_idx(world, rng, regions, allow_outside)
    pidx = _person_idx(world, rng, regions)
    o = np.nonzero(~is_person)[0]
    p = np.nonzero(is_person)[0]
    ent = world.entities(eidx[o])
    per = world.persons(pidx[p])
    E = [""] * n
    name, cls, uscc, regno, orgc, taxno, sydw, shzz = (list(E) for _ in range(8))
    rep, rep_t, rep_id, id_t, id_no = (list(E) for _ in range(5))
    u = rng.random((n, 5))
    for j, row in enumerate(o.tolist()):
        name[row] = ent["name"][j]
        cls[row] = ent["subject_class"][j]
        uscc[row] = ent["uscc"][j]
        old = bool(ent["old_style"][j])
        if old and u[row, 0] < 0.3:
            regno[row] = world.regno(int(ent["idx"][j]))
        if old and u[row, 1] < 0.2:
            orgc[row] = ent["org_code"][j]
        if old and u[row, 2] < 0.1:
            taxno[row] = ent["uscc"][j][2:17]
        ti = int(ent["type_i"][j])
        if ti == 3 and u[row, 3] < 0.5:      # 事业单位法人证书号
            sydw[row] = f"事证第1{ent['uscc'][j][2:8]}{int(ent['idx'][j]) % 100000:05d}号"
        elif ti in (4, 5) and u[row, 3] < 0.5:  # 社会组织登记证号
            city_abbr = CITIES[REGIONS[int(ent["region_i"][j])].city].abbr
            shzz[row] = f"鲁{city_abbr}民证字第{int(ent['idx'][j]) % 1000000:06d}号"
        rep[row] = ent["rep_name"][j]
        if u[row, 4] < 0.85:
            rep_t[row] = "身份证"
            rep_id[row] = ent["rep_ric"][j]
    for j, row in enumerate(p.tolist()):
        name[row] = per["name"][j]
        cls[row] = "自然人"
        id_t[row] = "身份证"
        id_no[row] = per["ric"][j]
    in_registry = np.zeros(n, dtype=bool)
    in_registry[o] = inside[o]
    clean_uscc = list(uscc)
    return {"行政相对人名称": name, "行政相对人类别": cls, "统一社会信用代码": uscc, "工商注册号": regno,
            "组织机构代码": orgc, "税务登记号": taxno, "事业单位证书号": sydw, "社会组织登记证号": shzz,
            "法定代表人": rep, "法定代表人证件类型": rep_t, "法定代表人证件号码": rep_id,
            "证件类型": id_t, "证件号码": id_no,
            "_is_person": is_person, "_in_registry": in_registry, "_uscc": clean_uscc}
