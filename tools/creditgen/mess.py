"""The defects departments really deliver, injected into a chunk's cells (messy mode).

Each step picks its rows at its ``RATE_*`` (rates.py) and changes cells in place; the steps run
in a fixed order so that a seed gives the same bytes. Format noise comes last, over the
content defects.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import numpy as np

from creditgen.context import Chunk
from creditgen.dates import iso_date
from creditgen.identifiers import USCC_VALUE
from creditgen.rates import (
    RATE_BAD_AMOUNT, RATE_DATE_VARIANT, RATE_EMPTY_MARKER, RATE_FULLWIDTH_CODE, RATE_INVALID_RIC,
    RATE_INVALID_USCC_CHECK, RATE_LEGACY_CODE_ONLY, RATE_LOWERCASE_CODE, RATE_MISSING_IDENTITY,
    RATE_MISSING_REQUIRED_CELL, RATE_OPEN_ENDED_9999, RATE_OUT_OF_LIST_VALUE, RATE_SUBMITTED_BEFORE_DECISION,
    RATE_SURROUNDING_SPACES, RATE_TRICKY_TEXT, RATE_UNPARSEABLE_DATE,
)
from creditgen.reference import NO_END, NO_END_DATE, written_empty_markers
from creditwh import codes

# per kind: decision column, identity column to blank, code columns, date columns, text columns,
# long text columns, open-ended validity column, out-of-list values per coded column
PROFILE = {
    "license": dict(decision="许可决定日期", blank="行政许可决定文书号",
                    codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "许可机关统一社会信用代码", "组织机构代码",
                           "证件号码", "法定代表人证件号码", "行政许可决定文书号"),
                    dates=("许可决定日期", "有效期自", "有效期至"), text=("行政相对人名称", "许可内容", "备注", "许可机关"),
                    long_text=("许可内容", "备注"),
                    open_ended="有效期至", lists={"许可类别": ("一般许可", "行政确认", "特殊"),
                                                 "行政相对人类别": ("企业法人", "法人")}),
    "penalty": dict(decision="处罚决定日期", blank="行政处罚决定书文号",
                    codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "处罚机关统一社会信用代码", "组织机构代码",
                           "证件号码", "法定代表人证件号码", "行政处罚决定书文号"),
                    dates=("处罚决定日期", "处罚有效期", "公示截止期"), text=("行政相对人名称", "违法事实", "备注", "处罚机关"),
                    long_text=("违法事实", "处罚内容", "备注"),
                    open_ended=None, lists={"处罚类别": ("责令改正", "罚款;责令改正", "限期整改"),
                                           "行政相对人类别": ("企业法人", "个人")}),
    "credit_list": dict(decision="列入日期", blank="列入决定文书号",
                        codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "认定部门统一社会信用代码", "证件号码",
                               "法定代表人证件号码", "列入决定文书号"),
                        dates=("列入日期", "有效期至", "移出日期"), text=("主体名称", "列入事由", "认定部门"),
                        long_text=("列入事由", "移出原因"),
                        open_ended="有效期至", lists={"名单类型": ("黑名单", "红名单"), "主体类别": ("企业法人",)}),
    "commitment": dict(decision="承诺日期", blank="承诺事项",
                       codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "承诺受理单位统一社会信用代码", "证件号码"),
                       dates=("承诺日期", "违诺认定日期"), text=("承诺主体名称", "承诺受理单位"), long_text=(),
                       open_ended=None, lists={"履约状态": ("正常", "未履约"), "承诺类型": ("告知承诺",)}),
    "repair": dict(decision="修复决定日期", blank="关联文书号",
                   codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "关联机关统一社会信用代码", "关联文书号"),
                   dates=("修复申请日期", "修复决定日期"), text=("主体名称", "修复机构"), long_text=(),
                   open_ended=None, lists={"修复结果": ("通过", "同意修复"), "修复类型": ("信用修复",)}),
    "objection": dict(decision="受理日期", blank="异议编号",
                      codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "关联机关统一社会信用代码", "处理单位统一社会信用代码",
                             "证件号码", "关联文书号"),
                      dates=("受理日期", "办结日期"), text=("异议主体名称", "异议理由", "处理单位"), long_text=("异议理由",),
                      open_ended=None, lists={"处理结果": ("撤销", "已删除"), "异议信息类别": ("行政处罚信息",)}),
    "registry": dict(decision=None, blank="统一社会信用代码",
                     codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "组织机构代码", "法定代表人证件号码", "注册号"),
                     dates=("成立日期",), text=("主体名称", "住所", "法定代表人"), long_text=("住所",),
                     open_ended=None, lists={"主体类型": ("有限责任公司", "公司"), "登记状态": ("正常",)}),
}

_BAD_DATES = ("2025-13-45", "下月", "2025-02-30", "待定", "20251345", "2025年13月1日")
_TRICKY = ('，当事人称"不知情"', "\n（补充：现场检查笔录两份）", "，涉案金额1,234.50元", '，现场标注"样品,勿动"', "\r\n经复核属实")
_FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$")


@dataclass
class _Cells:
    """A chunk's columns and the two random streams the defects are drawn from."""

    cols: dict[str, list]
    n: int
    rng: np.random.Generator
    prng: random.Random

    def pick(self, rate: float) -> list[int]:
        """Distinct rows, each row with probability ``rate``, in order."""
        k = int(self.rng.binomial(self.n, rate)) if self.n else 0
        return sorted(self.rng.choice(self.n, size=k, replace=False).tolist()) if k else []


def inject_defects(kind: str, ch: Chunk, rng, prng: random.Random, required: list[str],
                   optional: list[str]) -> set[int]:
    """Inject row and cell defects in place; returns the rows whose identity was blanked.

    ``required``: the kind's R columns outside its identity; ``optional``: its other columns."""
    prof = PROFILE[kind]
    cells = _Cells(ch.cols, len(ch.sub_ord), rng, prng)
    _open_ended(cells, prof)
    if "统一社会信用代码" in ch.cols and kind != "registry":
        _subject_codes(cells, ch)
    _identity_numbers(cells)
    _bad_dates(cells, prof, ch)
    _content_defects(cells, kind, prof, required)
    blanked = set()
    for i in cells.pick(RATE_MISSING_IDENTITY):  # identity column empty -> rejected row
        ch.cols[prof["blank"]][i] = prng.choice(("", "", "无", "/"))
        blanked.add(i)
    _format_noise(cells, prof, optional)
    return blanked


def _open_ended(cells: _Cells, prof: dict) -> None:
    """Open-ended validity written 长期, some as 9999-12-31."""
    oe = prof["open_ended"]
    if not oe:
        return
    col = cells.cols[oe]
    for i in cells.pick(RATE_OPEN_ENDED_9999 * 0.3):
        if col[i] == "":
            col[i] = NO_END
    for i, v in enumerate(col):
        if v == NO_END and cells.prng.random() < RATE_OPEN_ENDED_9999:
            col[i] = NO_END_DATE


def _subject_codes(cells: _Cells, ch: Chunk) -> None:
    """A wrong USCC check character; a registered organisation keyed by a legacy code only."""
    cols, prng = cells.cols, cells.prng
    uscc = cols["统一社会信用代码"]
    for i in cells.pick(RATE_INVALID_USCC_CHECK):
        v = uscc[i]
        if len(v) == 18 and v[17] in USCC_VALUE:
            uscc[i] = v[:17] + codes.USCC_ALPHABET[(USCC_VALUE[v[17]] + 1 + prng.randrange(30)) % 31]
    subj = ch.extra.get("subj")
    if subj is None or ("组织机构代码" not in cols and "税务登记号" not in cols):
        return
    for i in cells.pick(RATE_LEGACY_CODE_ONLY):
        if not subj["_in_registry"][i] or subj["_is_person"][i]:
            continue
        clean = subj["_uscc"][i]
        uscc[i] = prng.choice(("", "", "无"))
        if "税务登记号" in cols and prng.random() < 0.4:
            cols["税务登记号"][i] = clean[2:17]
            if "组织机构代码" in cols:
                cols["组织机构代码"][i] = ""
        elif "组织机构代码" in cols:
            cols["组织机构代码"][i] = clean[8:17]
        if "工商注册号" in cols:
            cols["工商注册号"][i] = ""


def _identity_numbers(cells: _Cells) -> None:
    """Identity numbers with a wrong check digit or an impossible birth date."""
    prng = cells.prng
    for name in ("证件号码", "法定代表人证件号码"):
        col = cells.cols.get(name)
        if col is None:
            continue
        for i in cells.pick(RATE_INVALID_RIC):
            v = col[i]
            if len(v) != 18 or not v[:17].isascii() or not v[:17].isdigit():
                continue
            if prng.random() < 0.5:
                good = v[17]
                col[i] = v[:17] + prng.choice([c for c in "0123456789X" if c != good])
            else:
                bad = v[:10] + prng.choice(("0230", "1345", "0231", "0000")) + v[14:17]
                col[i] = bad + codes.ric_check_char(bad)


def _bad_dates(cells: _Cells, prof: dict, ch: Chunk) -> None:
    """Unparseable dates; 报送时间 before the decision."""
    cols, prng = cells.cols, cells.prng
    date_cols = [c for c in prof["dates"] if c in cols] + ["报送时间"]
    for i in cells.pick(RATE_UNPARSEABLE_DATE):
        cols[prng.choice(date_cols)][i] = prng.choice(_BAD_DATES)
    if ch.decision_ord is None:
        return
    for i in cells.pick(RATE_SUBMITTED_BEFORE_DECISION):
        o = int(ch.decision_ord[i]) - 1 - prng.randrange(10)
        cols["报送时间"][i] = f"{iso_date(o)} {prng.randrange(8, 18):02d}:{prng.randrange(60):02d}:{prng.randrange(60):02d}"


def _content_defects(cells: _Cells, kind: str, prof: dict, required: list[str]) -> None:
    """An empty R cell, a value outside its code list, a bad amount, commas, quotes and line
    breaks inside a cell."""
    cols, prng = cells.cols, cells.prng
    req = [c for c in required if c in cols]
    for i in cells.pick(RATE_MISSING_REQUIRED_CELL):
        cols[prng.choice(req)][i] = prng.choice(("", "", "无"))
    lists = list(prof["lists"].items())
    for i in cells.pick(RATE_OUT_OF_LIST_VALUE):
        name, bad = prng.choice(lists)
        cols[name][i] = prng.choice(bad)
    if kind == "penalty":
        col = cols["罚款金额(万元)"]
        for i in cells.pick(RATE_BAD_AMOUNT):
            col[i] = prng.choice(("-0.5", "5000元", "约2万", "1,2"))
    text = [c for c in prof["long_text"] if c in cols]
    for i in (cells.pick(RATE_TRICKY_TEXT) if text else []):
        name = prng.choice(text)
        cols[name][i] = cols[name][i] + prng.choice(_TRICKY)


def _format_noise(cells: _Cells, prof: dict, optional: list[str]) -> None:
    """Date format variants, full-width and lower-case codes, padded cells, empty markers."""
    cols, prng = cells.cols, cells.prng
    for name in list(prof["dates"]) + ["报送时间"]:
        col = cols[name]
        for i in cells.pick(RATE_DATE_VARIANT):
            col[i] = date_variant(col[i], prng)
    for name in prof["codes"]:
        col = cols[name]
        for i in cells.pick(RATE_FULLWIDTH_CODE):
            col[i] = col[i].translate(_FULL_WIDTH)
        for i in cells.pick(RATE_LOWERCASE_CODE):
            col[i] = col[i].lower()
    for name in list(prof["text"]) + list(prof["codes"][:3]):
        col = cols[name]
        for i in cells.pick(RATE_SURROUNDING_SPACES):
            if col[i]:
                col[i] = prng.choice((" ", "  ", "\u3000")) + col[i] + prng.choice(("", " ", "  "))
    markers = written_empty_markers()
    for name in optional:
        col = cols.get(name)
        if col is None:
            continue
        for i in cells.pick(RATE_EMPTY_MARKER):
            if col[i] == "":
                col[i] = prng.choice(markers)


def date_variant(s: str, prng: random.Random) -> str:
    """An ISO date (or date-time) as a department writes it: 2025/3/5, 2025.03.05, 20250305,
    2025年3月5日, with or without (part of) the time."""
    m = _ISO_RE.match(s)
    if not m:
        return s
    y, mo, d, hh, mi, ss = m.groups()
    style = prng.randrange(5)
    if style == 0:
        out = f"{y}/{int(mo)}/{int(d)}"
    elif style == 1:
        out = f"{y}.{mo}.{d}"
    elif style == 2:
        out = f"{y}{mo}{d}"
    elif style == 3:
        out = f"{y}年{int(mo)}月{int(d)}日"
    else:
        out = f"{y}/{mo}/{d}"
    if hh is not None:
        r = prng.random()
        if r < 0.5:
            out += f" {hh}:{mi}:{ss}"
        elif r < 0.8:
            out += f" {hh}:{mi}"
    elif prng.random() < 0.15:
        out += f" {prng.randrange(8, 18):02d}:{prng.randrange(60):02d}"
    return out
