"""The departments that deliver extracts: who they are, how they number their documents, and
how much of each kind they deliver."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from creditgen.places import CITIES, REGION_INDEX, city_of_region
from creditwh import codes


@dataclass(frozen=True)
class Department:
    key: str
    name: str
    region: str      # characters 3-8 of its USCC
    city: int        # index into CITIES
    domain: str      # scjg 市场监管, sp 行政审批, hb 生态环境, sw 税务, zj 住建, zf 综合执法,
                     # yj 应急, jt 交通, wj 卫健, fy 法院, fg 发改
    abbr: str        # used in document numbers (济市监罚〔2025〕1234号)
    uscc: str

    @property
    def is_district(self) -> bool:
        return not self.region.endswith("00")


_DEPT_SPECS = (
    ("jinan_scjgj", "济南市市场监督管理局", "370100", "scjg", "济市监"),
    ("jinan_sthjj", "济南市生态环境局", "370100", "hb", "济环"),
    ("jinan_zjj", "济南市住房和城乡建设局", "370100", "zj", "济建"),
    ("jinan_swj", "国家税务总局济南市税务局", "370100", "sw", "济税"),
    ("jinan_jtysj", "济南市交通运输局", "370100", "jt", "济交"),
    ("jinan_yjglj", "济南市应急管理局", "370100", "yj", "济应急"),
    ("jinan_wjw", "济南市卫生健康委员会", "370100", "wj", "济卫"),
    ("jinan_xzspj", "济南市行政审批服务局", "370100", "sp", "济审批"),
    ("jinan_zy", "济南市中级人民法院", "370100", "fy", "济中法"),
    ("jinan_fgw", "济南市发展和改革委员会", "370100", "fg", "济发改"),
    ("lixia_scjgj", "济南市历下区市场监督管理局", "370102", "scjg", "济历下市监"),
    ("lixia_zhzfj", "济南市历下区综合行政执法局", "370102", "zf", "济历下综执"),
    ("jn_shizhong_scjgj", "济南市市中区市场监督管理局", "370103", "scjg", "济市中市监"),
    ("licheng_scjgj", "济南市历城区市场监督管理局", "370112", "scjg", "济历城市监"),
    ("licheng_xzspj", "济南市历城区行政审批服务局", "370112", "sp", "济历城审批"),
    ("zibo_scjgj", "淄博市市场监督管理局", "370300", "scjg", "淄市监"),
    ("zibo_sthjj", "淄博市生态环境局", "370300", "hb", "淄环"),
    ("zibo_zjj", "淄博市住房和城乡建设局", "370300", "zj", "淄建"),
    ("zibo_swj", "国家税务总局淄博市税务局", "370300", "sw", "淄税"),
    ("zibo_yjglj", "淄博市应急管理局", "370300", "yj", "淄应急"),
    ("zibo_xzspj", "淄博市行政审批服务局", "370300", "sp", "淄审批"),
    ("zibo_zy", "淄博市中级人民法院", "370300", "fy", "淄中法"),
    ("zibo_fgw", "淄博市发展和改革委员会", "370300", "fg", "淄发改"),
    ("zichuan_scjgj", "淄博市淄川区市场监督管理局", "370302", "scjg", "淄川市监"),
    ("zhangdian_scjgj", "淄博市张店区市场监督管理局", "370303", "scjg", "张市监"),
    ("zhangdian_zhzfj", "淄博市张店区综合行政执法局", "370303", "zf", "张综执"),
    ("zaozhuang_scjgj", "枣庄市市场监督管理局", "370400", "scjg", "枣市监"),
    ("zaozhuang_sthjj", "枣庄市生态环境局", "370400", "hb", "枣环"),
    ("zaozhuang_zjj", "枣庄市住房和城乡建设局", "370400", "zj", "枣建"),
    ("zaozhuang_swj", "国家税务总局枣庄市税务局", "370400", "sw", "枣税"),
    ("zaozhuang_jtysj", "枣庄市交通运输局", "370400", "jt", "枣交"),
    ("zaozhuang_xzspj", "枣庄市行政审批服务局", "370400", "sp", "枣审批"),
    ("zaozhuang_zy", "枣庄市中级人民法院", "370400", "fy", "枣中法"),
    ("zaozhuang_fgw", "枣庄市发展和改革委员会", "370400", "fg", "枣发改"),
    ("zz_shizhong_scjgj", "枣庄市市中区市场监督管理局", "370402", "scjg", "枣市中市监"),
    ("xuecheng_scjgj", "枣庄市薛城区市场监督管理局", "370403", "scjg", "薛市监"),
    ("xuecheng_wsjkj", "枣庄市薛城区卫生健康局", "370403", "wj", "薛卫"),
)


def _dept_uscc(name: str, region: str) -> str:
    """Government organs (机关) carry authority 1, category 1: 11 + region + org code."""
    body = f"{zlib.crc32(name.encode('utf-8')) % 10**8:08d}"
    return codes.make_uscc("1", "1", region, body)


DEPARTMENTS: tuple[Department, ...] = tuple(
    Department(k, n, r, city_of_region(r), d, a, _dept_uscc(n, r)) for k, n, r, d, a in _DEPT_SPECS
)
DEPT_BY_KEY = {d.key: d for d in DEPARTMENTS}
DEPT_NAME = np.array([d.name for d in DEPARTMENTS], dtype=object)
DEPT_USCC = np.array([d.uscc for d in DEPARTMENTS], dtype=object)
DEPT_CITY = np.array([d.city for d in DEPARTMENTS], dtype=np.int64)
DEPT_REGION_I = np.array([REGION_INDEX.get(d.region, -1) for d in DEPARTMENTS], dtype=np.int64)


DEPTS_BY_CITY_DOMAIN: dict[tuple[int, str], list[int]] = {}
for _i, _d in enumerate(DEPARTMENTS):
    DEPTS_BY_CITY_DOMAIN.setdefault((_d.city, _d.domain), []).append(_i)


def _city_dept(city: int, domain: str) -> int | None:
    for i, d in enumerate(DEPARTMENTS):
        if d.city == city and d.domain == domain and not d.is_district:
            return i
    return None


# the city-level counterpart that may deliver a district's rows (else itself)
DEPT_PARENT = np.array(
    [(_city_dept(d.city, d.domain) if d.is_district and _city_dept(d.city, d.domain) is not None else i)
     for i, d in enumerate(DEPARTMENTS)], dtype=np.int64)
DEPT_FGW = np.array([_city_dept(c, "fg") for c in range(len(CITIES))], dtype=np.int64)
DEPT_SCJG_CITY = np.array([_city_dept(c, "scjg") for c in range(len(CITIES))], dtype=np.int64)

# document-number templates per domain ({y} year, {n} sequence, {c} court code)
_PENALTY_DOC = {
    "scjg": "{a}罚〔{y}〕{n}号", "hb": "{a}罚字〔{y}〕第{n}号", "sw": "{a}稽罚〔{y}〕{n}号",
    "zj": "{a}罚决字〔{y}〕第{n:03d}号", "zf": "{a}罚字〔{y}〕{n}号", "yj": "（{k}）应急罚〔{y}〕{n}号",
    "jt": "{a}罚〔{y}〕{n}号", "wj": "{a}罚〔{y}〕{n}号",
}
_LICENSE_DOC = {
    "scjg": "{a}许准字〔{y}〕第{n}号", "sp": "{a}许字〔{y}〕{n}号", "hb": "{a}许可〔{y}〕{n}号",
    "zj": "{a}许〔{y}〕{n}号", "jt": "{a}运许〔{y}〕{n}号", "yj": "{a}危化许〔{y}〕{n}号",
    "wj": "{a}卫许〔{y}〕{n}号", "sw": "{a}许〔{y}〕{n}号",
}
_LIST_DOC = {"fy": "（{y}）{c}执{n}号"}
_LIST_DOC_DEFAULT = "{a}信〔{y}〕{n}号"


def _doc_template(dept: Department, table: dict[str, str], default: str | None = None) -> str:
    t = table.get(dept.domain, default)
    if t is None:
        return ""
    city = CITIES[dept.city]
    # keep {y} and {n} for the row; fill the department parts now
    return (t.replace("{a}", dept.abbr).replace("{k}", city.abbr).replace("{c}", city.court))


PEN_DOC_T = [_doc_template(d, _PENALTY_DOC) for d in DEPARTMENTS]
LIC_DOC_T = [_doc_template(d, _LICENSE_DOC) for d in DEPARTMENTS]
LIST_DOC_T = [_doc_template(d, _LIST_DOC, _LIST_DOC_DEFAULT) for d in DEPARTMENTS]

# department weights per kind (a city's weight multiplies these)
DOMAIN_WEIGHT = {
    "license": {"sp": 5, "scjg": 3, "zj": 2, "hb": 1.5, "jt": 1.5, "wj": 1, "yj": 0.7, "sw": 0.5},
    "penalty": {"scjg": 4, "zf": 3, "hb": 2, "sw": 2, "zj": 1.5, "yj": 1.5, "jt": 1.5, "wj": 1},
    "credit_list": {"scjg": 3, "sw": 2, "fy": 3, "hb": 1, "zj": 1},
    "commitment": {"sp": 4, "scjg": 2, "sw": 1.5, "fg": 1.5, "zj": 1},
}


def dept_weights(kind: str) -> np.ndarray:
    w = np.array([
        DOMAIN_WEIGHT[kind].get(d.domain, 0.0) * CITIES[d.city].weight * (0.6 if d.is_district else 1.0)
        for d in DEPARTMENTS])
    return w / w.sum()


