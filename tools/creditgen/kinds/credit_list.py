"""信用名单 (credit list designation) rows, and the repairs (移出名单) some of them receive."""

from __future__ import annotations

from functools import cache

import numpy as np

from creditgen.context import Chunk, Context, DomainChoices
from creditgen.dates import iso_date, iso_dates, validity_end, years_of
from creditgen.departments import DEPT_CITY, DEPT_NAME, DEPT_USCC, LIST_DOC_T
from creditgen.subjects import subjects
from creditgen.templates import LIST_TEMPLATES, REMOVAL_REASONS


@cache
def _choices() -> DomainChoices:
    choices: DomainChoices = {}
    for dom in {t[1] for t in LIST_TEMPLATES}:
        ids = np.array([j for j, t in enumerate(LIST_TEMPLATES) if t[1] == dom])
        w = np.array([LIST_TEMPLATES[j][6] for j in ids], float)
        choices[dom] = (ids, w / w.sum())
    return choices


def list_chunk(ctx: Context, rng, n: int, a: int, b: int, n_repair: int) -> tuple[Chunk, list[dict]]:
    """``n`` list designations decided between days ``a`` and ``b``, and up to ``n_repair``
    repairs of them."""
    depts = ctx.depts(rng, "credit_list", n)
    tid = ctx.templates(rng, depts, _choices())
    dec = ctx.decisions(rng, n, a, b)
    sub, sub_s = ctx.submissions(rng, dec)
    person_share = np.array([LIST_TEMPLATES[t][5] for t in tid.tolist()])
    subj = subjects(ctx.world, rng, depts, person_share)
    seq = ctx.seq("C", depts, dec)
    years = years_of(dec).tolist()
    cu = rng.random((n, 5))
    docno, valid_to, removed, reason, rep, rep_t, rep_id = [], [], [], [], [], [], []
    for j, (d, t, y, s) in enumerate(zip(depts.tolist(), tid.tolist(), years, seq.tolist())):
        tp = LIST_TEMPLATES[t]
        docno.append(LIST_DOC_T[d].format(y=y, n=s))
        valid_to.append("" if tp[4] is None or cu[j, 0] < 0.15 else validity_end(int(dec[j]), tp[4]))
        rm, rs = "", ""
        if cu[j, 1] < 0.08:
            o = int(dec[j]) + 10 + int(cu[j, 2] * 150)
            if o <= ctx.end:
                rm = iso_date(o)
                reasons = REMOVAL_REASONS[tp[0]]  # 信用修复 only through a repair (below)
                rs = reasons[int(cu[j, 4] * len(reasons))]
        removed.append(rm)
        reason.append(rs)
        keep_rep = tp[0] == "严重失信主体名单" and not subj["_is_person"][j] and cu[j, 3] < 0.7
        rep.append(subj["法定代表人"][j] if keep_rep else "")
        rep_t.append(subj["法定代表人证件类型"][j] if keep_rep else "")
        rep_id.append(subj["法定代表人证件号码"][j] if keep_rep else "")
    cols = {
        "数据来源单位": DEPT_NAME[depts].tolist(), "数据来源单位统一社会信用代码": DEPT_USCC[depts].tolist(),
        "报送时间": sub_s, "名单类型": [LIST_TEMPLATES[t][0] for t in tid.tolist()],
        "主体名称": subj["行政相对人名称"], "主体类别": subj["行政相对人类别"], "统一社会信用代码": subj["统一社会信用代码"],
        "证件类型": subj["证件类型"], "证件号码": subj["证件号码"],
        "法定代表人": rep, "法定代表人证件类型": rep_t, "法定代表人证件号码": rep_id,
        "列入决定文书号": docno, "列入事由": [LIST_TEMPLATES[t][2] for t in tid.tolist()],
        "认定依据": [LIST_TEMPLATES[t][3] for t in tid.tolist()],
        "认定部门": DEPT_NAME[depts].tolist(), "认定部门统一社会信用代码": DEPT_USCC[depts].tolist(),
        "列入日期": iso_dates(dec), "有效期至": valid_to, "移出日期": removed, "移出原因": reason,
    }
    repairs = _designation_repairs(ctx, rng, cols, subj, dec, depts, n_repair)
    return Chunk(cols, DEPT_CITY[depts], sub, dec, extra={"subj": subj}), repairs


def _designation_repairs(ctx: Context, rng, cols: dict[str, list], subj: dict, dec: np.ndarray,
                         depts: np.ndarray, n_repair: int) -> list[dict]:
    """Repairs of 严重失信主体名单 designations (organisations only), decided now so that the
    designation row carries its 移出日期 / 移出原因 = 信用修复 when agreed."""
    n = len(dec)
    removed, reason, docno = cols["移出日期"], cols["移出原因"], cols["列入决定文书号"]
    repairs: list[dict] = []
    cand = [j for j in range(n) if cols["名单类型"][j] == "严重失信主体名单" and not subj["_is_person"][j]
            and removed[j] == "" and int(dec[j]) + 40 <= ctx.end]
    if cand and n_repair:
        pick = rng.choice(len(cand), size=min(n_repair, len(cand)), replace=False)
        for j in sorted(cand[x] for x in pick.tolist()):
            app = int(dec[j]) + 20 + int(rng.integers(0, 120))
            app = min(app, ctx.end - 15)
            rdec = min(app + 5 + int(rng.integers(0, 20)), ctx.end)
            agreed = rng.random() < 0.85
            if agreed:
                removed[j], reason[j] = iso_date(rdec), "信用修复"
            repairs.append({"type": "移出严重失信主体名单", "name": subj["行政相对人名称"][j],
                            "uscc": subj["_uscc"][j], "docno": docno[j], "auth": int(depts[j]),
                            "app": app, "dec": rdec, "agreed": agreed, "fixer": int(depts[j])})
    return repairs
