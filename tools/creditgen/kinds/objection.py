"""异议处理 (objection) rows: subjects objecting to the penalties published about them, through their
city's credit office (发展和改革委员会), handled by the deciding department."""

from __future__ import annotations

import re

import numpy as np

from creditgen.context import Chunk, Context
from creditgen.dates import iso_dates, years_of
from creditgen.departments import DEPARTMENTS, DEPT_CITY, DEPT_FGW, DEPT_NAME, DEPT_USCC
from creditgen.rates import SHARE_OBJECTION_OPEN, SHARE_OBJECTION_OVERDUE
from creditgen.reference import code_list, seed_rows

OUTCOME_WEIGHTS = (0.5, 0.25, 0.25)  # of the code list objection_outcome, in its order: 维持, 更正, 删除
REASONS = ("处罚决定已被复议撤销", "主体名称有误", "违法事实与实际不符", "已履行完毕，申请更正", "信息归集错误")


def penalty_objections(ctx: Context, rng, ch: Chunk, n_objection: int, blanked: set[int], *,
                       unmatched: bool = False) -> list[dict]:
    """Up to ``n_objection`` objections to the penalties of ``ch`` (persons' too), accepted on a working
    day after the decision: most resolved within the deadline, some late, some still open.
    ``unmatched``: the first names a 文书号 no penalty has (a typo of the objector's)."""
    dec = ch.decision_ord
    subj, depts = ch.extra["subj"], ch.extra["depts"]
    ok = [j for j in range(len(dec)) if j not in blanked and int(dec[j]) + 10 <= ctx.end]
    if not ok or not n_objection:
        return []
    pick = sorted(ok[x] for x in rng.choice(len(ok), size=min(n_objection, len(ok)), replace=False).tolist())
    out = []
    for j in pick:
        accepted_pos = int(np.searchsorted(ctx.wd, int(dec[j]) + 5 + int(rng.integers(0, 60))))
        accepted = min(int(ctx.wd[accepted_pos]), ctx.end)
        resolved = _resolution(ctx, rng, accepted_pos)
        docno = ch.extra["docno"][j]
        if unmatched and not out:
            docno = re.sub(r"(\d+)号$", lambda m: f"{int(m.group(1)) + 90000}号", docno)
        out.append({
            "name": ch.extra["name"][j], "type": ch.extra["subject_type"][j], "uscc": subj["_uscc"][j],
            "person_id": ch.extra["person_id"][j], "docno": docno, "auth": int(depts[j]),
            "accepted": accepted, "resolved": resolved,
            "outcome": code_list("objection_outcome")[int(rng.choice(3, p=OUTCOME_WEIGHTS))] if resolved else "",
            "reason": REASONS[int(rng.integers(0, len(REASONS)))],
            "office": int(DEPT_FGW[DEPARTMENTS[int(depts[j])].city]),
        })
    return out


def _resolution(ctx: Context, rng, accepted_pos: int) -> int | None:
    """The 办结日期: within 2-10 working days of acceptance, 11-25 for the overdue ones, none for the
    open ones (nor when it would fall after the extraction date)."""
    u = rng.random()
    if u < SHARE_OBJECTION_OPEN:
        return None
    days = int(rng.integers(11, 26)) if u < SHARE_OBJECTION_OPEN + SHARE_OBJECTION_OVERDUE else int(rng.integers(2, 11))
    resolved = int(ctx.wd[min(accepted_pos + days, len(ctx.wd) - 1)])
    return resolved if resolved <= ctx.end else None


def _category_of(target_kind: str) -> str:
    """The 异议信息类别 that names a kind of record (seeds/objection_target_kinds)."""
    return next(r["objection_category"] for r in seed_rows("objection_target_kinds") if r["target_kind"] == target_kind)


def objection_chunk(ctx: Context, rng, objs: list[dict]) -> Chunk:
    """The rows of the objections, delivered by the credit office after their latest event."""
    n = len(objs)
    office = np.array([o["office"] for o in objs], dtype=np.int64)
    auth = np.array([o["auth"] for o in objs], dtype=np.int64)
    accepted = np.array([o["accepted"] for o in objs], dtype=np.int64)
    latest = np.array([o["resolved"] or o["accepted"] for o in objs], dtype=np.int64)
    sub, sub_s = ctx.submissions(rng, latest)
    seq = ctx.seq("objection", office, accepted)
    is_person = [o["type"] == "自然人" for o in objs]
    cols = {
        "数据来源单位": DEPT_NAME[office].tolist(), "数据来源单位统一社会信用代码": DEPT_USCC[office].tolist(),
        "报送时间": sub_s,
        "异议编号": [f"YY{y}{DEPARTMENTS[d].region}{s:05d}" for y, d, s in
                   zip(years_of(accepted).tolist(), office.tolist(), seq.tolist())],
        "异议主体名称": [o["name"] for o in objs], "主体类别": [o["type"] for o in objs],
        "统一社会信用代码": ["" if p else o["uscc"] for o, p in zip(objs, is_person)],
        "证件类型": ["身份证" if p else "" for p in is_person],
        "证件号码": [o["person_id"] if p else "" for o, p in zip(objs, is_person)],
        "异议信息类别": [_category_of("penalty")] * n, "关联文书号": [o["docno"] for o in objs],
        "关联机关统一社会信用代码": DEPT_USCC[auth].tolist(), "异议理由": [o["reason"] for o in objs],
        "受理日期": iso_dates(accepted), "处理结果": [o["outcome"] for o in objs],
        "办结日期": [iso_dates(np.array([o["resolved"]]))[0] if o["resolved"] else "" for o in objs],
        "处理单位": DEPT_NAME[auth].tolist(), "处理单位统一社会信用代码": DEPT_USCC[auth].tolist(),
    }
    months = [s[:7] for s in iso_dates(accepted)]
    return Chunk(cols, DEPT_CITY[office], sub, accepted, group_month=months,
                 no_legacy=np.ones(n, dtype=bool))
