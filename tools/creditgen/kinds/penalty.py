"""行政处罚 (penalty) rows, and the repairs (终止公示) some of them later receive."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from creditgen.context import Chunk, Context, DomainChoices, by_domain
from creditgen.dates import add_months, iso_dates, months_later
from creditgen.departments import DEPARTMENTS, DEPT_CITY, DEPT_FGW, DEPT_NAME, DEPT_USCC, PEN_DOC_T
from creditgen.kinds.decided import decisions
from creditgen.rates import RATE_OTHER_CATEGORY_SEPARATOR
from creditgen.reference import code_list, publication_months, severity_of
from creditgen.templates import PENALTY_TEMPLATES, PenaltyT

_SEPARATORS = ("；", "、", ",")  # 处罚类别 joined otherwise than with ; (messy)


@cache
def _templates() -> tuple[list[PenaltyT], DomainChoices]:
    return by_domain(PENALTY_TEMPLATES)


def _content(category: str, tp: PenaltyT) -> str:
    """处罚内容 of one 处罚类别 ({fine} and {conf} are filled per row)."""
    return {"罚款": "罚款人民币{fine:,}元", "没收违法所得": "没收违法所得人民币{conf:,}元",
            "没收非法财物": "没收涉案物品", "暂扣许可证件": f"暂扣{tp.cert}六个月",
            "吊销许可证件": f"吊销{tp.cert}", "限制开展生产经营活动": "限制开展生产经营活动三个月",
            "责令停产停业": "责令停产停业整顿"}.get(category, category[3:] if category.startswith("其他-") else category)


@cache
def _options() -> tuple[list[dict[str, Any]], dict[int, tuple[np.ndarray, np.ndarray]]]:
    """Every template's 处罚类别 options ("罚款;没收违法所得") with their content, and per
    template the option ids and weights."""
    options: list[dict[str, Any]] = []
    by_template: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for t, tp in enumerate(_templates()[0]):
        ids = []
        for cs, _w in tp.cats:
            cats = tuple(cs.split(";"))
            content = "，".join(_content(cat, tp) for cat in cats)
            ids.append(len(options))
            options.append({
                "cats": cats, "joined": ";".join(cats), "content": content,
                "fmt": "{" in content, "fine": "罚款" in cats,
                "conf": "没收违法所得" in cats or "没收非法财物" in cats,
                "cert": "暂扣许可证件" in cats or "吊销许可证件" in cats})
        w = np.array([w for _, w in tp.cats], float)
        by_template[t] = (np.array(ids), w / w.sum())
    return options, by_template


def fmt_amount(a: float) -> str:
    s = f"{a:.4f}".rstrip("0").rstrip(".")
    return s or "0"


def _amounts(T: list[PenaltyT], tid: np.ndarray, cu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fines (log-uniform in the template's range, 万元) and confiscated amounts."""
    lo = np.array([T[t].fine[0] for t in range(len(T))])[tid]
    hi = np.array([T[t].fine[1] for t in range(len(T))])[tid]
    fine = np.exp(np.log(lo) + cu[:, 3] * (np.log(hi) - np.log(lo)))
    fine = np.where(fine >= 1, np.round(fine, 1), np.round(fine, 2))
    conf = np.round(fine * (0.1 + cu[:, 4]), 2)
    return fine, conf


def penalty_chunk(ctx: Context, rng, n: int, a: int, b: int) -> Chunk:
    """``n`` penalties decided between days ``a`` and ``b``."""
    T, choices = _templates()
    depts, tid, dec, sub, sub_s, subj, seq, years, src = decisions(ctx, rng, "penalty", "P", n, a, b, T, choices)
    cu = rng.random((n, 8))
    options, by_template = _options()
    opt = np.zeros(n, dtype=np.int64)
    for t in np.unique(tid):
        sel = np.nonzero(tid == t)[0]
        ids, p = by_template[int(t)]
        opt[sel] = rng.choice(ids, size=len(sel), p=p)
    fine, conf = _amounts(T, tid, cu)
    fine_yuan = np.rint(fine * 10000).astype(np.int64).tolist()
    conf_yuan = np.rint(conf * 10000).astype(np.int64).tolist()
    fine_l, conf_l = fine.tolist(), conf.tolist()
    severities = code_list("severity")
    docno, facts, cats_col, content, fine_col, conf_col, cert_col = [], [], [], [], [], [], []
    pub_end, pen_valid, given_col, status, remark, publication = [], [], [], [], [], []
    dec_l = dec.tolist()
    for j, (d, t, o, y, s) in enumerate(zip(depts.tolist(), tid.tolist(), opt.tolist(), years, seq.tolist())):
        tp, op = T[t], options[o]
        docno.append(PEN_DOC_T[d].format(y=y, n=s))
        facts.append(tp.facts[int(cu[j, 0] * len(tp.facts))])
        if ctx.messy and cu[j, 2] < RATE_OTHER_CATEGORY_SEPARATOR and len(op["cats"]) > 1:
            cats_col.append(_SEPARATORS[int(cu[j, 2] / RATE_OTHER_CATEGORY_SEPARATOR * 3) % 3].join(op["cats"]))
        else:
            cats_col.append(op["joined"])
        content.append(op["content"].format(fine=fine_yuan[j], conf=conf_yuan[j]) if op["fmt"] else op["content"])
        fine_col.append(fmt_amount(fine_l[j]) if op["fine"] else "")
        conf_col.append(fmt_amount(conf_l[j]) if op["conf"] else "")
        if op["cert"]:
            cert_no = subj["_uscc"][j] or f"JY1{DEPARTMENTS[d].region}{s:07d}"
            cert_col.append(f"{tp.cert}（编号{cert_no}）")
        else:
            cert_col.append("")
        sev = severity_of(op["cats"], dec_l[j])
        months = publication_months(sev, dec_l[j])
        publication.append(months)
        end_pub = "" if months is None else months_later(dec_l[j], months[1])
        x = cu[j, 5]
        pub_end.append(end_pub if x < 0.8 else "")
        pen_valid.append(end_pub if x < 0.4 else "")
        z = cu[j, 6]
        given_col.append("" if z < 0.3 else (sev if z < 0.95 else severities[int(z * 1000) % 3]))
        st = cu[j, 7]
        status.append("正常" if st < 0.95 else ("" if st < 0.98 else "撤销"))
        remark.append("" if st < 0.9 or st >= 0.98 else "当事人已履行处罚决定")
    cols = {k: v for k, v in subj.items() if not k.startswith("_")}
    cols.update({
        "行政处罚决定书文号": docno, "违法行为类型": [T[t].type for t in tid.tolist()], "违法事实": facts,
        "处罚依据": [T[t].basis for t in tid.tolist()], "处罚类别": cats_col, "处罚内容": content,
        "罚款金额(万元)": fine_col, "没收违法所得、没收非法财物的金额(万元)": conf_col,
        "暂扣或吊销证照名称及编号": cert_col, "处罚有效期": pen_valid, "公示截止期": pub_end,
        "失信程度": given_col, "记录状态": status, "备注": remark,
    })
    cols.update({
        "数据来源单位": DEPT_NAME[src].tolist(), "数据来源单位统一社会信用代码": DEPT_USCC[src].tolist(),
        "报送时间": sub_s, "处罚决定日期": iso_dates(dec),
        "处罚机关": DEPT_NAME[depts].tolist(), "处罚机关统一社会信用代码": DEPT_USCC[depts].tolist(),
    })
    return Chunk(cols, DEPT_CITY[depts], sub, dec,
                 extra={"subj": subj, "publication": publication, "depts": depts,
                        "status": list(cols["记录状态"]), "docno": list(cols["行政处罚决定书文号"]),
                        "name": list(subj["行政相对人名称"]),
                        "subject_type": list(subj["行政相对人类别"]), "person_id": list(subj["证件号码"])})


def penalty_repairs(ctx: Context, rng, ch: Chunk, n_repair: int, blanked: set[int]) -> list[dict]:
    """Up to ``n_repair`` applications to end the publication of published penalties of ``ch``:
    after the minimum publication period (agreed mostly), or too early (refused)."""
    subj, publication, depts = ch.extra["subj"], ch.extra["publication"], ch.extra["depts"]
    dec = ch.decision_ord
    ok = [j for j in range(len(publication)) if publication[j] is not None and not subj["_is_person"][j]
          and j not in blanked and ch.extra["status"][j] != "撤销" and int(dec[j]) + 20 <= ctx.end]
    if not ok or not n_repair:
        return []
    pick = sorted(ok[x] for x in rng.choice(len(ok), size=min(n_repair, len(ok)), replace=False).tolist())
    out = []
    for j in pick:
        o = int(dec[j])
        earliest = add_months(o, publication[j][0])
        app = earliest + int(rng.integers(0, 40))
        rdec = app + 5 + int(rng.integers(0, 15))
        agreed = rng.random() < 0.9
        if rdec > ctx.end:  # applied before the minimum publication period: refused
            app = o + 15 + int(rng.integers(0, 40))
            app = min(app, ctx.end - 3)
            rdec = min(app + 3 + int(rng.integers(0, 10)), ctx.end)
            agreed = False
        out.append({"type": "终止公示行政处罚信息", "name": ch.extra["name"][j], "uscc": subj["_uscc"][j],
                    "docno": ch.extra["docno"][j], "auth": int(depts[j]), "app": app, "dec": rdec,
                    "agreed": agreed, "fixer": int(DEPT_FGW[DEPARTMENTS[int(depts[j])].city])})
    return out
