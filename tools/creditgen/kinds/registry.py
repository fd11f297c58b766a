"""法人和非法人组织登记信息 (registry) rows: one snapshot of the registered entities."""

from __future__ import annotations

import numpy as np

from creditgen.context import Chunk, Context
from creditgen.dates import iso_dates
from creditgen.departments import DEPT_NAME, DEPT_SCJG_CITY, DEPT_USCC
from creditgen.places import REGIONS


def registry_chunk(ctx: Context, rng, lo: int, hi: int) -> Chunk:
    """The registry rows of entities ``lo`` to ``hi`` - 1."""
    idx = np.arange(lo, hi, dtype=np.int64)
    n = len(idx)
    e = ctx.world.entities(idx, full=True)
    city = np.array([REGIONS[r].city for r in e["region_i"].tolist()], dtype=np.int64)
    src = DEPT_SCJG_CITY[city]
    sub = ctx.start + rng.integers(0, ctx.end - ctx.start + 1, n)
    cu = rng.random((n, 3))
    old = e["old_style"]
    cols = {
        "数据来源单位": DEPT_NAME[src].tolist(), "数据来源单位统一社会信用代码": DEPT_USCC[src].tolist(),
        "报送时间": ctx.datetimes(rng, sub), "统一社会信用代码": e["uscc"], "主体名称": e["name"],
        "主体类型": e["entity_type"], "法定代表人": e["rep_name"],
        "法定代表人证件类型": ["身份证" if x < 0.9 else "" for x in cu[:, 0].tolist()],
        "法定代表人证件号码": [ric if x < 0.9 else "" for ric, x in zip(e["rep_ric"], cu[:, 0].tolist())],
        "成立日期": iso_dates(e["est_ord"]), "登记状态": e["status"], "注册号": e["regno"],
        "组织机构代码": [oc if (o or x < 0.5) else "" for oc, o, x in zip(e["org_code"], old.tolist(), cu[:, 1].tolist())],
        "住所": e["address"], "登记机关": e["registrar"],
    }
    return Chunk(cols, city, sub, None, no_legacy=np.ones(n, dtype=bool))
