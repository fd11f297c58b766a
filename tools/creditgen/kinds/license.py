"""行政许可 (licence) rows."""

from __future__ import annotations

from functools import cache

from creditgen.context import Chunk, Context, DomainChoices, by_domain
from creditgen.dates import iso_dates, validity_end
from creditgen.departments import DEPARTMENTS, DEPT_CITY, DEPT_NAME, DEPT_USCC, LIC_DOC_T
from creditgen.kinds.decided import decisions
from creditgen.places import CITIES
from creditgen.reference import NO_END
from creditgen.templates import LICENSE_TEMPLATES, LicenseT


@cache
def _templates() -> tuple[list[LicenseT], DomainChoices]:
    return by_domain(LICENSE_TEMPLATES)


def license_chunk(ctx: Context, rng, n: int, a: int, b: int) -> Chunk:
    """``n`` licences decided between days ``a`` and ``b``."""
    T, choices = _templates()
    depts, tid, dec, sub, sub_s, subj, seq, years, src = decisions(ctx, rng, "license", "L", n, a, b, T, choices)
    dec_s = iso_dates(dec)
    cu = rng.random((n, 3))
    docno, cert, num, content, valid_to, state, remark = [], [], [], [], [], [], []
    for j, (d, t, y, s) in enumerate(zip(depts.tolist(), tid.tolist(), years, seq.tolist())):
        tp = T[t]
        docno.append(LIC_DOC_T[d].format(y=y, n=s))
        cert.append(tp.cert)
        dept = DEPARTMENTS[d]
        num.append(tp.num.format(r=dept.region, r4=dept.region[:4], y=y, s=s,
                                 u=subj["_uscc"][j] or dept.uscc, k=CITIES[dept.city].abbr) if tp.num else "")
        content.append(tp.contents[int(cu[j, 0] * len(tp.contents))])
        valid_to.append(NO_END if tp.years is None else validity_end(int(dec[j]), tp.years))
        x = cu[j, 1]
        state.append("有效" if x < 0.9 else ("无效" if x < 0.93 else ""))
        remark.append("" if cu[j, 2] < 0.9 else ("告知承诺审批" if cu[j, 2] < 0.95 else "变更换证"))
    cols = {k: v for k, v in subj.items() if not k.startswith("_")}
    cols.update({
        "数据来源单位": DEPT_NAME[src].tolist(), "数据来源单位统一社会信用代码": DEPT_USCC[src].tolist(),
        "报送时间": sub_s, "行政许可决定文书名称": [T[t].doc for t in tid.tolist()], "行政许可决定文书号": docno,
        "许可类别": [T[t].cat for t in tid.tolist()], "许可证书名称": cert, "许可编号": num, "许可内容": content,
        "许可决定日期": dec_s, "有效期自": list(dec_s), "有效期至": valid_to,
        "许可机关": DEPT_NAME[depts].tolist(), "许可机关统一社会信用代码": DEPT_USCC[depts].tolist(),
        "当前状态": state, "备注": remark,
    })
    return Chunk(cols, DEPT_CITY[depts], sub, dec, extra={"subj": subj})
