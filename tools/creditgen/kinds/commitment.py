"""信用承诺 (commitment) rows."""

from __future__ import annotations

import numpy as np

from creditgen.context import Chunk, Context
from creditgen.dates import iso_dates
from creditgen.departments import DEPT_CITY, DEPT_NAME, DEPT_USCC, DEPTS_BY_CITY_DOMAIN
from creditgen.places import CITIES
from creditgen.subjects import subjects
from creditgen.templates import COMMITMENT_TEMPLATES, FULFIL


def commitment_chunk(ctx: Context, rng, n: int, a: int, b: int) -> Chunk:
    """``n`` commitments made between days ``a`` and ``b`` (some breached since)."""
    tw = np.array([t[4] for t in COMMITMENT_TEMPLATES], float)
    tid = rng.choice(len(COMMITMENT_TEMPLATES), size=n, p=tw / tw.sum())
    city = rng.choice(len(CITIES), size=n, p=np.array([c.weight for c in CITIES]))
    depts = np.empty(n, dtype=np.int64)
    cu = rng.random((n, 4))
    for j, (t, c) in enumerate(zip(tid.tolist(), city.tolist())):
        doms = COMMITMENT_TEMPLATES[t][2]
        dom = doms[int(cu[j, 0] * len(doms))]
        cands = DEPTS_BY_CITY_DOMAIN.get((c, dom)) or DEPTS_BY_CITY_DOMAIN[(c, "fg")]
        depts[j] = cands[int(cu[j, 1] * len(cands))]
    dec = ctx.decisions(rng, n, a, b)
    subj = subjects(ctx.world, rng, depts, np.array([COMMITMENT_TEMPLATES[t][3] for t in tid.tolist()]))
    fw = np.array([w for _, w in FULFIL], float)
    fi = rng.choice(len(FULFIL), size=n, p=fw / fw.sum())
    breach = dec + 5 + rng.integers(0, 120, n)
    is_breach = (fi == 2) & (breach <= ctx.end)
    fi = np.where((fi == 2) & ~is_breach, 0, fi)
    clock = np.where(is_breach, breach, dec)
    sub, sub_s = ctx.submissions(rng, clock)
    items = []
    for j, t in enumerate(tid.tolist()):
        its = COMMITMENT_TEMPLATES[t][1]
        items.append(its[int(cu[j, 2] * len(its))])
    breach_s = iso_dates(breach)
    cols = {
        "数据来源单位": DEPT_NAME[depts].tolist(), "数据来源单位统一社会信用代码": DEPT_USCC[depts].tolist(),
        "报送时间": sub_s, "承诺主体名称": subj["行政相对人名称"], "主体类别": subj["行政相对人类别"],
        "统一社会信用代码": subj["统一社会信用代码"], "证件类型": subj["证件类型"], "证件号码": subj["证件号码"],
        "承诺类型": [COMMITMENT_TEMPLATES[t][0] for t in tid.tolist()], "承诺事项": items,
        "承诺日期": iso_dates(dec), "承诺受理单位": DEPT_NAME[depts].tolist(),
        "承诺受理单位统一社会信用代码": DEPT_USCC[depts].tolist(),
        "履约状态": [FULFIL[x][0] for x in fi.tolist()],
        "违诺认定日期": [s if br else "" for s, br in zip(breach_s, is_breach.tolist())],
    }
    return Chunk(cols, DEPT_CITY[depts], sub, clock, extra={"subj": subj})
