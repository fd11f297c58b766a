"""信用修复 (repair) rows: the repairs decided with penalties and list designations."""

from __future__ import annotations

import numpy as np

from creditgen.context import Chunk, Context
from creditgen.dates import iso_date, iso_dates
from creditgen.departments import DEPARTMENTS, DEPT_CITY, DEPT_NAME, DEPT_USCC


def repair_chunk(ctx: Context, rng, reps: list[dict]) -> Chunk:
    """The rows of repairs decided with the penalties or designations they end."""
    n = len(reps)
    fixer = np.array([r["fixer"] for r in reps], dtype=np.int64)
    rdec = np.array([r["dec"] for r in reps], dtype=np.int64)
    sub, sub_s = ctx.submissions(rng, rdec)
    has_app = rng.random(n) < 0.9
    cols = {
        "数据来源单位": DEPT_NAME[fixer].tolist(), "数据来源单位统一社会信用代码": DEPT_USCC[fixer].tolist(),
        "报送时间": sub_s, "修复类型": [r["type"] for r in reps], "主体名称": [r["name"] for r in reps],
        "统一社会信用代码": [r["uscc"] for r in reps], "关联文书号": [r["docno"] for r in reps],
        "关联机关统一社会信用代码": [DEPARTMENTS[r["auth"]].uscc for r in reps],
        "修复申请日期": [(iso_date(r["app"]) if h else "") for r, h in zip(reps, has_app.tolist())],
        "修复决定日期": iso_dates(rdec), "修复结果": ["同意" if r["agreed"] else "不同意" for r in reps],
        "修复机构": DEPT_NAME[fixer].tolist(),
    }
    months = [s[:7] for s in iso_dates(rdec)]
    return Chunk(cols, DEPT_CITY[fixer], sub, rdec, group_month=months,
                  no_legacy=np.ones(n, dtype=bool))
