"""Corrections: a row delivered again with the same identity and other content (messy mode)."""

from __future__ import annotations

import random

from creditgen.kinds.penalty import fmt_amount
from creditgen.reference import code_list


def correct(kind: str, hdr: list[str], row: list[str], prng: random.Random) -> None:
    """Change the content (never the identity) of a row, as a department's correction does."""
    pos = {h: j for j, h in enumerate(hdr)}
    before = list(row)

    def setc(name: str, value: str) -> None:
        row[pos[name]] = value

    def getc(name: str) -> str:
        return row[pos[name]]

    r = prng.random()
    if kind == "license":
        if r < 0.4:
            setc("许可内容", getc("许可内容") + "（变更）")
        elif r < 0.7 and getc("当前状态") != "无效":
            setc("当前状态", "无效")
        else:
            setc("备注", "更正：许可证书编号")
    elif kind == "penalty":
        if r < 0.4 and getc("罚款金额(万元)"):
            setc("罚款金额(万元)", fmt_amount(round(prng.uniform(0.1, 5), 2)))
            setc("备注", "更正罚款金额")
        elif r < 0.6 and getc("记录状态") != "撤销":
            setc("记录状态", "撤销")
            setc("备注", "行政复议撤销原处罚决定")
        elif r < 0.8:
            setc("失信程度", prng.choice([x for x in code_list("severity") if x != getc("失信程度")]))
        else:
            setc("违法事实", getc("违法事实") + "（更正）")
    elif kind == "credit_list":
        setc("列入事由", getc("列入事由") + "（更正）")
    elif kind == "commitment":
        status = getc("履约状态")
        if status == "履约中":
            setc("履约状态", "已履约")
        else:
            setc("承诺主体名称", getc("承诺主体名称") + "（更正）")
    elif kind == "repair":
        setc("修复机构", getc("修复机构") + "（更正）")
    elif kind == "objection":
        setc("异议理由", getc("异议理由") + "（补充说明）")
    elif kind == "registry":
        if r < 0.5 and getc("登记状态") != "注销":
            setc("登记状态", "注销")
        else:
            setc("住所", getc("住所") + "（变更）")
    if row == before:  # make sure the content differs
        setc(hdr[-1], getc(hdr[-1]) + "（更正）")
