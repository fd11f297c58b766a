"""Synthetic departmental extracts for tests, samples and benchmarks.

``generate_extracts`` writes ``<out_dir>/<kind>/<name>.csv`` for the six kinds of the input
contract (shared/domain/extracts.md), with the headers of its data (``load_contract``). The
world is three Shandong cities (济南, 淄博, 枣庄), their departments, a population of
registered entities and of natural persons. Every generated identifier is valid by
construction (``creditwh.codes``) unless a defect is injected on purpose.

Design for size: rows are produced in chunks of ``CHUNK_ROWS`` with numpy vectorisation,
entity and person attributes are pure functions of their index (no table is held in
memory), and files are streamed: memory stays flat whatever ``records`` is.

With ``messy=True`` the defects departments really deliver are injected at the low
rates named below (all ``RATE_*`` are per row or per cell; ``FILE_RATE_*`` per file).
With ``messy=False`` every file is clean UTF-8 with canonical headers.
"""

from __future__ import annotations

import csv
import functools
import math
import random
import re
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from creditwh import codes
from creditwh.landing.contract import load_contract as extract_contract

__all__ = [
    "KINDS",
    "CITIES",
    "REGIONS",
    "DEPARTMENTS",
    "DEPT_BY_KEY",
    "Department",
    "World",
    "load_contract",
    "generate_extracts",
    "write_xlsx",
]

# --------------------------------------------------------------------------------------
# Injected defects (messy=True). Row/cell rates unless named FILE_RATE_*.
# --------------------------------------------------------------------------------------
RATE_DATE_VARIANT = 0.03            # a date cell written 2025/3/5, 2025.03.05, 20250305, 2025年3月5日 …
RATE_OPEN_ENDED_9999 = 0.30         # of open-ended validities: 9999-12-31 instead of 长期
RATE_FULLWIDTH_CODE = 0.004         # a code cell in full-width digits/letters (９１３７…)
RATE_LOWERCASE_CODE = 0.004         # a code cell in lower case
RATE_SURROUNDING_SPACES = 0.01      # a text/code cell padded with spaces or U+3000
RATE_EMPTY_MARKER = 0.05            # an empty optional cell written 无 / - / NULL …
RATE_INVALID_USCC_CHECK = 0.004     # subject USCC with a wrong check character
RATE_LEGACY_CODE_ONLY = 0.008       # registered organisation: USCC empty, only 组织机构代码 or 税务登记号
RATE_UNPARSEABLE_DATE = 0.002       # 2025-13-45, 下月, 2025-02-30 …
RATE_SUBMITTED_BEFORE_DECISION = 0.002
RATE_REPEAT = 0.005                 # the identical row delivered again
RATE_CORRECTION = 0.005             # same identity, other content, later 报送时间
RATE_TRICKY_TEXT = 0.005            # commas, double quotes, line breaks inside a cell
RATE_MISSING_IDENTITY = 0.001       # identity column empty (文书号 …) -> rejected row
RATE_INVALID_RIC = 0.003            # identity number with a wrong check digit or birth date
RATE_MISSING_REQUIRED_CELL = 0.005  # a non-identity R cell left empty (incomplete record)
RATE_OUT_OF_LIST_VALUE = 0.002      # 许可类别 / 处罚类别 / 类别 value outside the code list
RATE_BAD_AMOUNT = 0.002             # 罚款金额 not a non-negative number
RATE_OTHER_CATEGORY_SEPARATOR = 0.2  # 处罚类别 joined with ； 、 or , instead of ;
FILE_RATE_GB18030 = 0.25            # file encoded GB18030
FILE_RATE_UTF8_BOM = 0.20           # file encoded UTF-8 with BOM
FILE_RATE_HEADER_VARIANT = 0.30     # header with spaces, full-width parentheses, aliases
FILE_RATE_DROP_OPTIONAL = 0.10      # file that omits a few optional columns

# --------------------------------------------------------------------------------------
# Shape of the world (both modes)
# --------------------------------------------------------------------------------------
SHARE_LICENSE = 0.60                # of the 双公示 records; the rest are penalties
ENTITIES_PER_RECORD = 0.2           # registry size = records / 5 (at least MIN_ENTITIES)
MIN_ENTITIES = 50
SHARE_CREDIT_LIST, MIN_CREDIT_LIST = 0.02, 20
SHARE_COMMITMENT, MIN_COMMITMENT = 0.05, 20
SHARE_REPAIR, MIN_REPAIR = 0.01, 10
SHARE_SAME_DAY = 0.03               # submitted the day of the decision
SHARE_LATE = 0.12                   # submitted after more than 7 working days
SHARE_DECISION_ON_WORKDAY = 0.93
SHARE_OUTSIDE_REGISTRY = 0.02       # subjects registered elsewhere (valid USCC, no registry row)
SHARE_DELIVERED_BY_CITY = 0.03      # district rows delivered by the city-level counterpart
ROWS_PER_FILE = 200_000
CHUNK_ROWS = 50_000

KINDS = ("registry", "license", "penalty", "credit_list", "commitment", "repair")


def load_contract() -> dict[str, dict[str, Any]]:
    """The extract contract as ``{kind: {"columns": [column spec, ...], "identity": [...]}}``."""
    return {kind: {"columns": [asdict(c) for c in spec.columns], "identity": list(spec.identity)}
            for kind, spec in extract_contract().items()}


# --------------------------------------------------------------------------------------
# Places and departments
# --------------------------------------------------------------------------------------
# (key, city name, short name, one-character abbreviation, court code, weight)
CITIES = (
    ("jinan", "济南市", "济南", "济", "鲁01", 0.50),
    ("zibo", "淄博市", "淄博", "淄", "鲁03", 0.28),
    ("zaozhuang", "枣庄市", "枣庄", "枣", "鲁04", 0.22),
)
# entity regions (administrative divisions below the cities): (code, city index, name)
REGIONS = (
    ("370102", 0, "历下区"), ("370103", 0, "市中区"), ("370104", 0, "槐荫区"),
    ("370105", 0, "天桥区"), ("370112", 0, "历城区"), ("370113", 0, "长清区"),
    ("370114", 0, "章丘区"),
    ("370302", 1, "淄川区"), ("370303", 1, "张店区"), ("370304", 1, "博山区"),
    ("370305", 1, "临淄区"), ("370306", 1, "周村区"),
    ("370402", 2, "市中区"), ("370403", 2, "薛城区"), ("370404", 2, "峄城区"),
    ("370405", 2, "台儿庄区"), ("370481", 2, "滕州市"),
)
_R = len(REGIONS)
_REGION_INDEX = {code: i for i, (code, _, _) in enumerate(REGIONS)}
_CITY_REGIONS = [np.array([i for i, r in enumerate(REGIONS) if r[1] == c], dtype=np.int64)
                 for c in range(len(CITIES))]


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


def _city_of_region(region: str) -> int:
    return {"3701": 0, "3703": 1, "3704": 2}[region[:4]]


DEPARTMENTS: tuple[Department, ...] = tuple(
    Department(k, n, r, _city_of_region(r), d, a, _dept_uscc(n, r)) for k, n, r, d, a in _DEPT_SPECS
)
DEPT_BY_KEY = {d.key: d for d in DEPARTMENTS}
_DEPT_NAME = np.array([d.name for d in DEPARTMENTS], dtype=object)
_DEPT_USCC = np.array([d.uscc for d in DEPARTMENTS], dtype=object)
_DEPT_CITY = np.array([d.city for d in DEPARTMENTS], dtype=np.int64)
_DEPT_REGION_I = np.array([_REGION_INDEX.get(d.region, -1) for d in DEPARTMENTS], dtype=np.int64)


_DEPTS_BY_CITY_DOMAIN: dict[tuple[int, str], list[int]] = {}
for _i, _d in enumerate(DEPARTMENTS):
    _DEPTS_BY_CITY_DOMAIN.setdefault((_d.city, _d.domain), []).append(_i)


def _city_dept(city: int, domain: str) -> int | None:
    for i, d in enumerate(DEPARTMENTS):
        if d.city == city and d.domain == domain and not d.is_district:
            return i
    return None


# the city-level counterpart that may deliver a district's rows (else itself)
_DEPT_PARENT = np.array(
    [(_city_dept(d.city, d.domain) if d.is_district and _city_dept(d.city, d.domain) is not None else i)
     for i, d in enumerate(DEPARTMENTS)], dtype=np.int64)
_DEPT_FGW = np.array([_city_dept(c, "fg") for c in range(len(CITIES))], dtype=np.int64)
_DEPT_SCJG_CITY = np.array([_city_dept(c, "scjg") for c in range(len(CITIES))], dtype=np.int64)

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
    return (t.replace("{a}", dept.abbr).replace("{k}", city[3]).replace("{c}", city[4]))


_PEN_DOC_T = [_doc_template(d, _PENALTY_DOC) for d in DEPARTMENTS]
_LIC_DOC_T = [_doc_template(d, _LICENSE_DOC) for d in DEPARTMENTS]
_LIST_DOC_T = [_doc_template(d, _LIST_DOC, _LIST_DOC_DEFAULT) for d in DEPARTMENTS]

# department weights per kind (a city's weight multiplies these)
_DOMAIN_WEIGHT = {
    "license": {"sp": 5, "scjg": 3, "zj": 2, "hb": 1.5, "jt": 1.5, "wj": 1, "yj": 0.7, "sw": 0.5},
    "penalty": {"scjg": 4, "zf": 3, "hb": 2, "sw": 2, "zj": 1.5, "yj": 1.5, "jt": 1.5, "wj": 1},
    "credit_list": {"scjg": 3, "sw": 2, "fy": 3, "hb": 1, "zj": 1},
    "commitment": {"sp": 4, "scjg": 2, "sw": 1.5, "fg": 1.5, "zj": 1},
}


def _dept_weights(kind: str) -> np.ndarray:
    w = np.array([
        _DOMAIN_WEIGHT[kind].get(d.domain, 0.0) * CITIES[d.city][5] * (0.6 if d.is_district else 1.0)
        for d in DEPARTMENTS])
    return w / w.sum()


# --------------------------------------------------------------------------------------
# Content pools
# --------------------------------------------------------------------------------------
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
                 "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
                 "贺顾毛郝龚邵万钱严武戴孔向汤")
_SURNAME_CUM = np.cumsum(1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.9)
_SURNAME_CUM /= _SURNAME_CUM[-1]
_MALE = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林东峰亮建国志文海春成晓振永庆德广兴新")
_FEMALE = list("芳娜敏静丽艳娟霞燕玲婷颖雪慧琳晶洁红梅莉萍倩楠丹玉兰凤月欣悦佳琪璐秀英华")
_TRADE = list("鑫达华源恒泰宏盛隆兴利通信诚瑞祥嘉和丰顺安康宇博创新锦润金海天正德远佳成宝福昌汇中联明辰"
              "晟鼎峰凯睿君启航越腾卓弘永益广裕荣聚耀众旺元欣万合力美")
_INDUSTRY = ["建材", "商贸", "餐饮管理", "科技", "物流", "建筑工程", "化工", "食品", "医药", "机械制造",
             "环保科技", "房地产开发", "信息技术", "电子商务", "农业科技", "汽车销售服务", "装饰工程",
             "物业管理", "劳务", "新能源", "文化传媒", "教育咨询", "医疗器械", "纺织", "陶瓷", "煤炭",
             "石油化工", "钢铁", "包装", "印刷", "酒店管理", "旅游开发", "农产品", "水产", "家具", "五金",
             "电力工程", "市政工程", "园林绿化", "安防科技"]
_FORMS = ["有限公司"] * 14 + ["有限责任公司"] * 4 + ["股份有限公司"] + ["集团有限公司"]
_SHOPS = ["便利店", "餐馆", "五金店", "烟酒店", "理发店", "水果店", "汽车修理部", "批发部", "服装店",
          "小吃部", "超市", "日用品店", "粮油店", "快餐店", "烧烤店", "建材经营部", "家电维修部", "手机店",
          "茶叶店", "面馆"]
_AGRI = ["蔬菜种植", "果品", "畜禽养殖", "粮食种植", "苗木花卉", "中药材种植", "食用菌", "农机服务", "土地股份"]
_PLACES = ["东关", "西关", "南苑", "北园", "文化", "建设", "新华", "人民", "胜利", "光明", "和平", "兴隆",
           "幸福", "青年", "黄河", "泰山", "凤凰", "金山", "玉泉", "龙泉", "花园", "洪楼", "七里", "华山",
           "马山", "双山", "罗庄", "杏园", "高庄", "柳泉"]
_ROADS = ["经十路", "工业南路", "花园路", "和平路", "解放路", "泉城路", "二环东路", "北园大街", "共青团路",
          "柳泉路", "中润大道", "人民路", "新华路", "光明路", "建设路", "文化路", "黄河路", "青年路", "振兴路",
          "胜利路", "府前街", "长江路", "泰山路", "华山路", "北京路", "上海路", "金山路", "龙山路",
          "世纪大道", "科技路"]
_INSTITUTIONS = ["综合检验检测中心", "社区卫生服务中心", "文化馆", "实验小学", "第一中学", "中心幼儿园",
                 "图书馆", "农业技术推广站", "疾病预防控制中心", "公共就业和人才服务中心"]
_NONPROFITS = ["养老服务中心", "职业培训学校", "社会工作服务中心", "康复中心", "艺术培训学校"]
_ASSOC = ["协会", "商会", "促进会", "行业协会"]
_STATUS = [("存续", 70), ("在业", 15), ("吊销", 4), ("注销", 8), ("迁出", 2), ("撤销", 1)]

# entity kinds: authority, category, 主体类型, 行政相对人类别, share, share with a new-style (MA…) code, name style
_ETYPES = (
    ("9", "1", "企业", "法人及非法人组织", 0.745, 0.65, "company"),
    ("9", "2", "个体工商户", "个体工商户", 0.14, 0.92, "shop"),
    ("9", "3", "农民专业合作社", "法人及非法人组织", 0.03, 0.8, "coop"),
    ("1", "2", "事业单位", "法人及非法人组织", 0.02, 0.1, "institution"),
    ("5", "1", "社会组织", "法人及非法人组织", 0.015, 0.3, "association"),
    ("5", "2", "社会组织", "法人及非法人组织", 0.015, 0.5, "nonprofit"),
    ("N", "2", "其他", "法人及非法人组织", 0.02, 1.0, "village"),
    ("Y", "1", "其他", "法人及非法人组织", 0.01, 1.0, "union"),
    ("A", "1", "事业单位", "法人及非法人组织", 0.005, 0.0, "military"),
)
_ETYPE_CUM = np.cumsum([t[4] for t in _ETYPES])
_ETYPE_CUM /= _ETYPE_CUM[-1]
_ETYPE_NEW = np.array([t[5] for t in _ETYPES])


@dataclass(frozen=True)
class _PenaltyT:
    type: str
    facts: tuple[str, ...]
    basis: str
    cats: tuple[tuple[str, int], ...]
    fine: tuple[float, float]
    person: float = 0.03
    weight: float = 1.0
    cert: str = "营业执照"


_PENALTY_TEMPLATES: dict[str, list[_PenaltyT]] = {
    "scjg": [
        _PenaltyT("经营超过保质期的食品", ("当事人经营超过保质期的食品", "当事人在经营场所销售超过保质期的预包装食品，货值金额较小"),
                  "《中华人民共和国食品安全法》第一百二十四条第一款第（二）项",
                  (("没收违法所得;没收非法财物;罚款", 3), ("罚款", 2), ("警告", 1)), (0.5, 5), 0.05, 4, "食品经营许可证"),
        _PenaltyT("未按规定公示年度报告", ("当事人未按照规定的期限公示年度报告",),
                  "《企业信息公示暂行条例》第十八条", (("警告", 2), ("罚款", 1)), (0.1, 1), 0.0, 2),
        _PenaltyT("虚假宣传", ("当事人在其网店商品宣传中使用“国家级”“最佳”等用语", "当事人对商品的功能作虚假或者引人误解的商业宣传"),
                  "《中华人民共和国广告法》第五十七条第（一）项", (("罚款", 3), ("没收违法所得;罚款", 1)), (1, 50), 0.02, 2),
        _PenaltyT("销售不合格产品", ("当事人销售经抽检不合格的电线电缆", "当事人销售不符合保障人体健康标准的儿童用品"),
                  "《中华人民共和国产品质量法》第四十九条", (("没收违法所得;没收非法财物;罚款", 2), ("罚款", 1)), (0.5, 20), 0.03, 2),
        _PenaltyT("未明码标价", ("当事人经营的商品未按规定明码标价",),
                  "《明码标价和禁止价格欺诈规定》第二十一条", (("警告", 2), ("罚款", 1), ("通报批评", 1)), (0.05, 0.5), 0.1, 2),
        _PenaltyT("使用未经定期检验的特种设备", ("当事人使用未经定期检验的电梯", "当事人使用超过检验有效期的压力容器"),
                  "《中华人民共和国特种设备安全法》第八十四条第（一）项",
                  (("罚款", 3), ("责令停产停业;罚款", 1)), (3, 30), 0.0, 1.5),
        _PenaltyT("未取得食品经营许可从事食品经营活动", ("当事人未取得食品经营许可从事餐饮服务活动",),
                  "《中华人民共和国食品安全法》第一百二十二条第一款",
                  (("没收违法所得;没收非法财物;罚款", 3), ("罚款", 1), ("吊销许可证件;罚款", 1)), (5, 15), 0.1, 1, "食品经营许可证"),
    ],
    "hb": [
        _PenaltyT("超标排放大气污染物", ("当事人排放的颗粒物浓度超过国家排放标准", "自动监测数据显示氮氧化物排放浓度超标"),
                  "《中华人民共和国大气污染防治法》第九十九条第（二）项",
                  (("罚款", 3), ("限制开展生产经营活动;罚款", 1), ("责令停产停业;罚款", 1)), (10, 100), 0.0, 3, "排污许可证"),
        _PenaltyT("未批先建", ("建设项目环境影响评价文件未经批准擅自开工建设",),
                  "《中华人民共和国环境影响评价法》第三十一条第一款", (("罚款", 1),), (2, 30), 0.0, 2),
        _PenaltyT("未按规定设置危险废物识别标志", ("危险废物贮存场所未设置危险废物识别标志",),
                  "《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款第（一）项", (("罚款", 1),), (1, 10), 0.0, 2),
        _PenaltyT("无证排污", ("当事人未取得排污许可证排放污染物",),
                  "《排污许可管理条例》第三十三条", (("责令停产停业;罚款", 2), ("罚款", 2), ("责令关闭", 1)), (20, 100), 0.0, 1, "排污许可证"),
    ],
    "sw": [
        _PenaltyT("逾期申报", ("纳税人未按照规定的期限办理纳税申报和报送纳税资料",),
                  "《中华人民共和国税收征收管理法》第六十二条", (("罚款", 1),), (0.02, 0.2), 0.05, 4),
        _PenaltyT("未按规定开具发票", ("当事人应开具而未开具发票", "当事人虚开增值税普通发票"),
                  "《中华人民共和国发票管理办法》第三十五条", (("罚款", 3), ("没收违法所得;罚款", 1)), (0.05, 5), 0.05, 2),
        _PenaltyT("偷税", ("采取虚假纳税申报手段少缴税款", "在账簿上多列支出少缴税款"),
                  "《中华人民共和国税收征收管理法》第六十三条第一款", (("罚款", 1),), (5, 200), 0.02, 1),
    ],
    "zj": [
        _PenaltyT("未取得施工许可证擅自施工", ("建设单位未取得施工许可证擅自开工建设",),
                  "《建筑工程施工许可管理办法》第十二条", (("罚款", 1),), (1, 5), 0.0, 2),
        _PenaltyT("违反建筑施工安全规定", ("施工现场未按规定设置安全防护设施", "施工单位未对危险性较大的分部分项工程编制专项方案"),
                  "《建设工程安全生产管理条例》第六十二条",
                  (("罚款", 3), ("暂扣许可证件;罚款", 1), ("降低资质等级;罚款", 1)), (2, 20), 0.0, 2, "安全生产许可证"),
        _PenaltyT("转包、违法分包", ("施工单位将承包的工程转包给不具备资质的单位",),
                  "《建设工程质量管理条例》第六十二条",
                  (("没收违法所得;罚款", 2), ("降低资质等级;罚款", 1), ("吊销许可证件", 1)), (10, 50), 0.0, 1, "建筑业企业资质证书"),
        _PenaltyT("扬尘污染防治措施不到位", ("施工工地裸土未覆盖、车辆未冲洗", "施工现场未采取扬尘防治措施"),
                  "《山东省扬尘污染防治管理办法》第三十条", (("罚款", 1),), (0.5, 5), 0.0, 2),
    ],
    "zf": [
        _PenaltyT("占道经营", ("当事人在城市道路两侧擅自摆摊设点", "当事人超出门窗外墙摆卖"),
                  "《城市市容和环境卫生管理条例》第三十六条", (("警告", 2), ("罚款", 3)), (0.005, 0.1), 0.45, 3),
        _PenaltyT("违法建设", ("当事人未取得建设工程规划许可证进行建设",),
                  "《中华人民共和国城乡规划法》第六十四条", (("罚款", 2), ("罚款;其他-限期拆除", 1)), (1, 30), 0.3, 2),
        _PenaltyT("擅自设置户外广告", ("当事人未经批准擅自设置户外广告设施",),
                  "《城市市容和环境卫生管理条例》第三十四条", (("罚款", 1),), (0.05, 1), 0.2, 1),
        _PenaltyT("违规倾倒建筑垃圾", ("当事人随意倾倒建筑垃圾",),
                  "《城市建筑垃圾管理规定》第二十六条", (("罚款", 1),), (0.5, 10), 0.4, 1),
    ],
    "yj": [
        _PenaltyT("未按规定开展安全生产教育和培训", ("生产经营单位未对从业人员进行安全生产教育和培训",),
                  "《中华人民共和国安全生产法》第九十七条第（三）项", (("罚款", 1),), (1, 10), 0.0, 2),
        _PenaltyT("未建立事故隐患排查治理制度", ("生产经营单位未建立事故隐患排查治理制度",),
                  "《中华人民共和国安全生产法》第一百零一条第（五）项", (("罚款", 3), ("责令停产停业;罚款", 1)), (2, 20), 0.0, 2),
        _PenaltyT("危险化学品经营违法", ("未取得危险化学品经营许可证经营危险化学品",),
                  "《危险化学品安全管理条例》第七十七条第三款", (("没收违法所得;没收非法财物;罚款", 2), ("吊销许可证件", 1)),
                  (10, 20), 0.05, 1, "危险化学品经营许可证"),
    ],
    "jt": [
        _PenaltyT("未取得道路运输经营许可擅自从事道路运输经营", ("当事人驾驶车辆未取得道路运输经营许可从事客运经营",),
                  "《中华人民共和国道路运输条例》第六十三条", (("没收违法所得;罚款", 2), ("罚款", 2)), (1, 10), 0.6, 2),
        _PenaltyT("车辆违法超限运输", ("当事人驾驶车辆违法超限运输", "货车车货总重超过限定标准"),
                  "《公路安全保护条例》第六十六条", (("罚款", 1),), (0.05, 3), 0.5, 3),
        _PenaltyT("客运车辆不按批准的线路运营", ("客运车辆不按批准的客运站点停靠",),
                  "《中华人民共和国道路运输条例》第七十条", (("罚款", 3), ("吊销许可证件", 1)), (0.1, 0.3), 0.2, 1, "道路运输经营许可证"),
    ],
    "wj": [
        _PenaltyT("未取得医疗机构执业许可证擅自执业", ("当事人未取得医疗机构执业许可证开展诊疗活动",),
                  "《医疗机构管理条例》第四十三条", (("没收违法所得;没收非法财物;罚款", 1),), (5, 20), 0.5, 2),
        _PenaltyT("公共场所卫生违法", ("公共场所从业人员未取得有效健康合格证明从事服务工作", "未按规定对顾客用品用具进行清洗消毒"),
                  "《公共场所卫生管理条例实施细则》第三十八条", (("警告", 2), ("罚款", 2), ("警告;罚款", 1)), (0.05, 2), 0.1, 3),
        _PenaltyT("生活饮用水不符合卫生标准", ("二次供水水质检测不符合国家卫生标准",),
                  "《生活饮用水卫生监督管理办法》第二十五条", (("罚款", 1),), (0.1, 2), 0.0, 1),
    ],
}


@dataclass(frozen=True)
class _LicenseT:
    doc: str
    cat: str
    cert: str
    num: str                      # format: {r} region, {r4}, {y}, {s} sequence, {u} subject USCC, {k} city abbr
    contents: tuple[str, ...]
    years: int | None             # None = 长期
    person: float = 0.0
    weight: float = 1.0


_LICENSE_TEMPLATES: dict[str, list[_LicenseT]] = {
    "scjg": [
        _LicenseT("食品经营许可决定书", "普通", "食品经营许可证", "JY1{r}{s:07d}",
                  ("预包装食品（含冷藏冷冻食品）销售", "热食类食品制售", "预包装食品销售；散装食品销售；热食类食品制售"), 5, 0, 5),
        _LicenseT("特种设备使用登记决定书", "登记", "特种设备使用登记证", "容3鲁A{s:05d}({y})", ("压力容器使用登记", "电梯使用登记"), None, 0, 2),
        _LicenseT("工业产品生产许可决定书", "核准", "全国工业产品生产许可证", "鲁XK16-{s:03d}-{r4}",
                  ("建筑用钢筋", "危险化学品包装物、容器", "电线电缆"), 5, 0, 1),
        _LicenseT("药品经营许可决定书", "普通", "药品经营许可证", "鲁AA{r4}{s:04d}",
                  ("中成药、化学药制剂、抗生素制剂、生化药品（零售）",), 5, 0, 2),
        _LicenseT("计量标准考核决定书", "认可", "计量标准考核证书", "[{y}]鲁量标{k}证字第{s:03d}号", ("压力表检定装置",), 4, 0, 0.5),
    ],
    "sp": [
        _LicenseT("准予变更登记通知书", "登记", "营业执照", "{u}", ("住所变更登记", "经营范围变更登记", "法定代表人变更登记"), None, 0, 3),
        _LicenseT("建筑工程施工许可决定书", "普通", "建筑工程施工许可证", "{r}{y}{s:04d}0101",
                  ("住宅楼及地下车库工程施工", "厂房新建工程施工", "综合楼装修改造工程"), 1, 0, 2),
        _LicenseT("公共场所卫生许可决定书", "普通", "卫生许可证", "鲁卫公证字〔{y}〕第{r}-{s:06d}号",
                  ("住宿场所", "沐浴场所", "美容美发场所"), 4, 0, 2),
        _LicenseT("道路运输经营许可决定书", "普通", "道路运输经营许可证", "鲁交运管许可{k}字{r}{s:06d}号",
                  ("道路普通货物运输", "道路旅客运输（班车客运）"), 4, 0, 2),
        _LicenseT("人力资源服务许可决定书", "普通", "人力资源服务许可证", "{r}{s:06d}", ("职业中介活动",), 5, 0, 0.5),
        _LicenseT("巡游出租汽车经营许可决定书", "特许", "巡游出租汽车经营许可证", "{k}出租{y}{s:04d}", ("巡游出租汽车客运",), 6, 0.3, 0.5),
        _LicenseT("建设项目环境影响登记表备案", "其他-备案", "", "", ("建设项目环境影响登记表备案",), None, 0, 0.5),
    ],
    "hb": [
        _LicenseT("排污许可证核发决定书", "普通", "排污许可证", "{u}001P",
                  ("大气污染物排放：颗粒物、二氧化硫、氮氧化物", "水污染物排放：化学需氧量、氨氮"), 5, 0, 3),
        _LicenseT("建设项目环境影响报告表审批意见", "其他", "", "", ("同意该项目按照报告表所列性质、规模、地点建设",), None, 0, 2),
        _LicenseT("危险废物经营许可决定书", "特许", "危险废物经营许可证", "鲁危证{r4}{s:03d}号", ("收集、贮存、处置废矿物油",), 5, 0, 0.5),
    ],
    "zj": [
        _LicenseT("建筑业企业资质许可决定书", "认可", "建筑业企业资质证书", "D{r}{s:05d}",
                  ("建筑工程施工总承包贰级", "市政公用工程施工总承包叁级", "建筑装修装饰工程专业承包贰级"), 5, 0, 2),
        _LicenseT("商品房预售许可决定书", "普通", "商品房预售许可证", "{k}建预许{y}{s:04d}号", ("住宅楼预售", "商业用房预售"), None, 0, 1),
        _LicenseT("城镇污水排入排水管网许可决定书", "普通", "排水许可证", "{k}排水字第{y}{s:04d}号", ("生活污水排入市政管网",), 5, 0, 1),
        _LicenseT("燃气经营许可决定书", "特许", "燃气经营许可证", "鲁{y}{r4}{s:04d}", ("瓶装液化石油气经营",), 3, 0, 0.5),
    ],
    "jt": [
        _LicenseT("道路运输经营许可决定书", "普通", "道路运输经营许可证", "鲁交运管许可{k}字{r}{s:06d}号", ("道路普通货物运输",), 4, 0.2, 2),
        _LicenseT("道路运输从业人员从业资格认定", "认可", "道路运输从业资格证", "{k}从业{y}{s:06d}", ("经营性道路货物运输驾驶员",), 6, 0.9, 2),
        _LicenseT("巡游出租汽车经营许可决定书", "特许", "巡游出租汽车经营许可证", "{k}出租{y}{s:04d}", ("巡游出租汽车客运",), 6, 0.3, 1),
    ],
    "yj": [
        _LicenseT("危险化学品经营许可决定书", "普通", "危险化学品经营许可证", "鲁{k}危化经字〔{y}〕{s:06d}", ("汽油、柴油（闭杯闪点≤60℃）",), 3, 0, 2),
        _LicenseT("烟花爆竹经营（零售）许可决定书", "普通", "烟花爆竹经营（零售）许可证", "（鲁）YH经零〔{y}〕{s:05d}", ("烟花爆竹零售",), 1, 0.2, 1),
    ],
    "wj": [
        _LicenseT("医疗机构执业登记决定书", "登记", "医疗机构执业许可证", "PDY{s:05d}{r}1{y}", ("预防保健科；内科；外科", "口腔科"), 5, 0, 2),
        _LicenseT("放射诊疗许可决定书", "认可", "放射诊疗许可证", "鲁卫放证字〔{y}〕第{s:04d}号", ("X射线影像诊断",), 4, 0, 1),
        _LicenseT("医师执业注册决定书", "认可", "医师执业证书", "1{r}{y}{s:06d}", ("临床类别 内科专业", "口腔类别 口腔专业"), None, 1.0, 1),
    ],
    "sw": [
        _LicenseT("增值税专用发票最高开票限额审批决定书", "普通", "", "", ("最高开票限额十万元", "最高开票限额一百万元"), None, 0, 1),
    ],
}

# credit lists: (list type, domain, 列入事由, 认定依据, validity years or None, person share, weight)
_LIST_TEMPLATES = (
    ("严重失信主体名单", "scjg", "因提交虚假材料取得市场主体登记被撤销", "《市场监督管理严重违法失信名单管理办法》第十条", 3, 0.0, 2),
    ("严重失信主体名单", "scjg", "生产销售不合格食品受到较重行政处罚", "《市场监督管理严重违法失信名单管理办法》第二条", 3, 0.0, 1),
    ("严重失信主体名单", "sw", "虚开增值税专用发票", "《重大税收违法失信主体信息公布管理办法》第六条", 3, 0.05, 2),
    ("严重失信主体名单", "fy", "有履行能力而拒不履行生效法律文书确定义务", "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条", None, 0.45, 3),
    ("严重失信主体名单", "zj", "拖欠农民工工资情节严重", "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条", 3, 0.1, 1),
    ("重点关注名单", "scjg", "未按规定期限公示年度报告", "《市场主体登记管理条例实施细则》第七十条", 3, 0.0, 3),
    ("重点关注名单", "scjg", "通过登记的住所或者经营场所无法联系", "《市场监督管理严重违法失信名单管理办法》", 3, 0.0, 1),
    ("重点关注名单", "hb", "环境信用评价为环保警示企业", "《山东省企业环境信用评价办法》第十五条", 1, 0.0, 1),
    ("重点关注名单", "sw", "纳税信用级别评为D级", "《纳税信用管理办法》第三十二条", 1, 0.0, 1),
    ("守信激励名单", "sw", "纳税信用级别评为A级", "《纳税信用管理办法》第二十九条", 1, 0.0, 3),
    ("守信激励名单", "hb", "环境信用评价为环保诚信企业", "《山东省企业环境信用评价办法》第十五条", 2, 0.0, 1),
    ("守信激励名单", "scjg", "连续三年守合同重信用", "《山东省守合同重信用企业公示管理办法》", 2, 0.0, 1),
)
_REMOVAL_REASONS = {"严重失信主体名单": ("履行完毕", "主动纠正失信行为"),
                    "重点关注名单": ("经营异常情形消失", "整改完成"),
                    "守信激励名单": ("不再符合列入条件",)}

# commitments: (type, items, receiving domains, person share)
_COMMITMENT_TEMPLATES = (
    ("审批告知承诺", ("食品经营许可告知承诺", "公共场所卫生许可告知承诺", "建筑工程施工许可告知承诺", "道路货物运输经营许可告知承诺"), ("sp", "scjg"), 0.0, 4),
    ("证明事项告知承诺", ("无犯罪记录证明告知承诺", "纳税证明告知承诺", "社保缴纳证明告知承诺"), ("sp", "sw"), 0.3, 2),
    ("主动公示承诺", ("市场主体主动信用承诺", "诚信经营承诺"), ("scjg", "fg"), 0.0, 2),
    ("信用修复承诺", ("行政处罚信用修复承诺", "严重失信主体名单信用修复承诺"), ("fg",), 0.0, 1),
    ("行业自律承诺", ("餐饮行业自律承诺", "建筑行业诚信自律承诺", "物流行业自律承诺"), ("fg", "scjg", "zj"), 0.0, 1),
)
_FULFIL = (("履约中", 60), ("已履约", 34), ("违诺", 6))

_SEVERE_CATS = {"吊销许可证件", "责令关闭", "责令停产停业", "限制从业"}
_MINOR_CATS = {"警告", "通报批评"}
_BAD_DATES = ("2025-13-45", "下月", "2025-02-30", "待定", "20251345", "2025年13月1日")
_EMPTY_MARKERS = ("无", "/", "-", "NULL", " ", "")
_TRICKY = ('，当事人称"不知情"', "\n（补充：现场检查笔录两份）", "，涉案金额1,234.50元", '，现场标注"样品,勿动"', "\r\n经复核属实")
_FW = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})

# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------
_BASE = date(1940, 1, 1).toordinal()
_LAST = date(2045, 12, 31).toordinal()


@functools.lru_cache(maxsize=1)
def _date_pool() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = [date.fromordinal(o) for o in range(_BASE, _LAST + 1)]
    return (np.array([d.isoformat() for d in days], dtype=object),
            np.array([d.year for d in days], dtype=np.int64),
            np.array([d.year * 10000 + d.month * 100 + d.day for d in days], dtype=np.int64))


def _ds(ords: np.ndarray) -> list[str]:
    return _date_pool()[0][np.asarray(ords, dtype=np.int64) - _BASE].tolist()


def _year(ords: np.ndarray) -> np.ndarray:
    return _date_pool()[1][np.asarray(ords, dtype=np.int64) - _BASE]


def _iso(o: int) -> str:
    return date.fromordinal(int(o)).isoformat()


@functools.lru_cache(maxsize=65536)
def _add_years(o: int, years: int, minus_one: bool = True) -> str:
    d = date.fromordinal(o)
    try:
        e = d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        e = d.replace(year=d.year + years, day=28)
    return date.fromordinal(e.toordinal() - (1 if minus_one else 0)).isoformat()


def _add_months_ord(o: int, months: int) -> int:
    d = date.fromordinal(o)
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    last = (date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1)
    return min(date(y, m, 1).toordinal() + d.day - 1, last)


def _workdays(first: int, last: int) -> np.ndarray:
    """State Council working days (chinesecalendar); Mon-Fri outside the years it covers."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - chinesecalendar is a project dependency
        chinese_calendar = None
    out = []
    for o in range(first, last + 1):
        d = date.fromordinal(o)
        try:
            ok = chinese_calendar.is_workday(d) if chinese_calendar else d.weekday() < 5
        except NotImplementedError:
            ok = d.weekday() < 5
        if ok:
            out.append(o)
    return np.array(out, dtype=np.int64)


# --------------------------------------------------------------------------------------
# Vectorised identifiers
# --------------------------------------------------------------------------------------
_ALPHA = np.array(list(codes.USCC_ALPHABET), dtype="<U1")
_ALPHA_GB11714 = np.array([int(c) if c.isdigit() else ord(c) - 55 for c in codes.USCC_ALPHABET], dtype=np.int64)
_USCC_W = np.array(codes.USCC_WEIGHTS, dtype=np.int64)
_ORG_W = np.array(codes.ORG_CODE_WEIGHTS, dtype=np.int64)
_RIC_W = np.array(codes.RIC_WEIGHTS, dtype=np.int64)
_RIC_CHARS = np.array(list("0123456789X"), dtype="<U1")
_RIC_CHECK_IDX = np.array(["0123456789X".index(c) for c in codes.RIC_CHECK_CHARS], dtype=np.int64)
_AVAL = {c: i for i, c in enumerate(codes.USCC_ALPHABET)}
_REGION_DIGITS = np.array([[int(c) for c in r[0]] for r in REGIONS], dtype=np.int64)
_M64 = (1 << 64) - 1


def _join(vals: np.ndarray, lut: np.ndarray) -> list[str]:
    n, k = vals.shape
    if n == 0:
        return []
    return np.ascontiguousarray(lut[vals]).view(f"<U{k}").ravel().tolist()


def _digits(x: np.ndarray, width: int) -> np.ndarray:
    return (x[:, None] // (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))) % 10


def _uscc_vec(auth: np.ndarray, cat: np.ndarray, region_digits: np.ndarray, body: np.ndarray) -> list[str]:
    """Valid USCCs from alphabet values: authority, category, (n,6) region, (n,8) body."""
    n = len(auth)
    s = (_ALPHA_GB11714[body] * _ORG_W).sum(axis=1) % 11
    chk = 11 - s
    org_chk = np.where(chk == 10, _AVAL["X"], np.where(chk == 11, 0, chk))
    v = np.empty((n, 18), dtype=np.int64)
    v[:, 0], v[:, 1], v[:, 2:8], v[:, 8:16], v[:, 16] = auth, cat, region_digits, body, org_chk
    v[:, 17] = (31 - (v[:, :17] * _USCC_W).sum(axis=1) % 31) % 31
    return _join(v, _ALPHA)


def _ric_vec(region_digits: np.ndarray, birth_ord: np.ndarray, seq: np.ndarray) -> list[str]:
    n = len(seq)
    ymd = _date_pool()[2][np.asarray(birth_ord, dtype=np.int64) - _BASE]
    v = np.empty((n, 18), dtype=np.int64)
    v[:, 0:6] = region_digits
    v[:, 6:14] = _digits(ymd, 8)
    v[:, 14:17] = _digits(seq, 3)
    v[:, 17] = _RIC_CHECK_IDX[(v[:, :17] * _RIC_W).sum(axis=1) % 11]
    return _join(v, _RIC_CHARS)


def _mix(x: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 of (x + salt): a deterministic per-index pseudo-random uint64."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(salt & _M64)
        z = z * np.uint64(0x9E3779B97F4A7C15)
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


def _unit(z: np.ndarray) -> np.ndarray:
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _pick(z: np.ndarray, n: int) -> np.ndarray:
    return (z % np.uint64(n)).astype(np.int64)


# --------------------------------------------------------------------------------------
# The world: entities and persons as pure functions of their index
# --------------------------------------------------------------------------------------
_BIRTH0 = date(1955, 1, 1).toordinal()
_NBIRTH = date(2002, 12, 31).toordinal() - _BIRTH0 + 1


class World:
    """Entities 0..n_entities-1 are in the registry (region = index mod 17); indices above
    are valid organisations registered elsewhere. Person i is the legal representative of
    entity i; natural-person subjects are drawn from persons 0..n_persons-1."""

    def __init__(self, records: int, seed: int = 20251001, start: date = date(2025, 7, 1)):
        self.seed = int(seed)
        self.n_entities = max(MIN_ENTITIES, int(records * ENTITIES_PER_RECORD))
        self.n_persons = max(3 * self.n_entities, 300)
        self.start = start
        salt = int(_mix(np.array([self.seed], dtype=np.int64), 0x5EED)[0])
        self._salt = salt
        self._b_new = salt % 31**6
        self._b_old = (salt >> 20) % 10**8
        mod = _NBIRTH * 1000
        a = 2654435761 % mod
        while math.gcd(a, mod) != 1:
            a += 1
        self._pa, self._pb = a, (salt >> 7) % mod
        self._new_from = date(2015, 10, 1).toordinal()
        self._old_from = date(1992, 1, 1).toordinal()

    # -- helpers -----------------------------------------------------------------------
    def _h(self, idx: np.ndarray, f: int) -> np.ndarray:
        return _mix(idx, self._salt + f * 0x632BE59BD9B4E019)

    def region_count(self, r: int) -> int:
        """Registered entities in region r (indices r, r+17, …)."""
        return (self.n_entities - r + _R - 1) // _R if r < self.n_entities else 0

    # -- persons -----------------------------------------------------------------------
    def persons(self, pidx: Iterable[int] | np.ndarray) -> dict[str, list]:
        p = np.asarray(pidx, dtype=np.int64)
        r = p % _R
        k = p // _R
        # a bijection of k within each region (distinct persons never share a number)
        perm = (k * self._pa + self._pb + r * 7_777_777) % (_NBIRTH * 1000)
        birth = _BIRTH0 + perm // 1000
        seq = perm % 1000
        ric = _ric_vec(_REGION_DIGITS[r], birth, seq)
        su = np.searchsorted(_SURNAME_CUM, _unit(self._h(p, 1)), side="right")
        su = np.minimum(su, len(_SURNAMES) - 1)
        g1 = _pick(self._h(p, 2), 2000)
        two = _unit(self._h(p, 3)) < 0.7
        male = (seq % 2) == 1
        names = []
        for s, a, t, m in zip(su.tolist(), g1.tolist(), two.tolist(), male.tolist()):
            pool = _MALE if m else _FEMALE
            given = pool[a % len(pool)] + (pool[(a // 47) % len(pool)] if t else "")
            names.append(_SURNAMES[s] + given)
        return {"name": names, "ric": ric, "region_i": r, "birth_ord": birth}

    def person(self, p: int) -> dict[str, Any]:
        d = self.persons([p])
        return {k: (v[0] if isinstance(v, list) else v[0].item()) for k, v in d.items()}

    # -- entities ----------------------------------------------------------------------
    def entities(self, idx: Iterable[int] | np.ndarray, full: bool = False) -> dict[str, Any]:
        i = np.asarray(idx, dtype=np.int64)
        n = len(i)
        r = i % _R
        t = np.minimum(np.searchsorted(_ETYPE_CUM, _unit(self._h(i, 11)), side="right"), len(_ETYPES) - 1)
        new = _unit(self._h(i, 12)) < _ETYPE_NEW[t]
        body = np.empty((n, 8), dtype=np.int64)
        v_new = (i * 1_000_003 + self._b_new) % 31**6
        body[:, 0], body[:, 1] = _AVAL["M"], _AVAL["A"]
        body[:, 2:8] = (v_new[:, None] // (31 ** np.arange(5, -1, -1, dtype=np.int64))) % 31
        v_old = (i * 48_271 + self._b_old) % 10**8
        body = np.where(new[:, None], body, _digits(v_old, 8))
        auth = np.array([_AVAL[e[0]] for e in _ETYPES], dtype=np.int64)[t]
        cat = np.array([_AVAL[e[1]] for e in _ETYPES], dtype=np.int64)[t]
        uscc = _uscc_vec(auth, cat, _REGION_DIGITS[r], body)
        u_est = _unit(self._h(i, 13))
        est = np.where(new, self._new_from + (u_est * (self.start.toordinal() - 30 - self._new_from)).astype(np.int64),
                       self._old_from + (u_est * (self._new_from - 1 - self._old_from)).astype(np.int64))
        reps = self.persons(i)
        # names
        h = self._h(i, 14)
        a1, a2 = _pick(h, len(_TRADE)), _pick(h >> np.uint64(8), len(_TRADE))
        ind = _pick(h >> np.uint64(16), len(_INDUSTRY))
        frm = _pick(h >> np.uint64(24), len(_FORMS))
        shop = _pick(h >> np.uint64(32), len(_SHOPS))
        place = _pick(h >> np.uint64(40), len(_PLACES))
        style_u = _unit(self._h(i, 15))
        names = []
        for k in range(n):
            reg = REGIONS[r[k]]
            city = CITIES[reg[1]]
            district = reg[2]
            trade = _TRADE[a1[k]] + _TRADE[a2[k]]
            style = _ETYPES[t[k]][6]
            su = style_u[k]
            if style == "company":
                if su < 0.03:
                    nm = f"山东{trade}{_INDUSTRY[ind[k]]}有限公司{city[2]}分公司"
                else:
                    pre = city[2] if su < 0.7 else ("山东" if su < 0.9 else city[1] + district)
                    nm = f"{pre}{trade}{_INDUSTRY[ind[k]]}{_FORMS[frm[k]]}"
            elif style == "shop":
                owner = reps["name"][k] if su < 0.3 else trade
                nm = f"{district}{owner}{_SHOPS[shop[k]]}"
            elif style == "coop":
                nm = f"{district}{trade}{_AGRI[ind[k] % len(_AGRI)]}专业合作社"
            elif style == "institution":
                nm = f"{city[1]}{district}{_PLACES[place[k]]}{_INSTITUTIONS[ind[k] % len(_INSTITUTIONS)]}"
            elif style == "association":
                nm = f"{city[1]}{_INDUSTRY[ind[k]]}{_ASSOC[frm[k] % len(_ASSOC)]}"
            elif style == "nonprofit":
                nm = f"{city[1]}{district}{_PLACES[place[k]]}{_NONPROFITS[ind[k] % len(_NONPROFITS)]}"
            elif style == "village":
                nm = f"{district}{_SURNAMES[a1[k] % 40]}家{'庄村洼屯'[a2[k] % 4]}村股份经济合作社"
            elif style == "union":
                nm = f"{district}{_PLACES[place[k]]}{trade}经济联合社"
            else:
                nm = f"{city[1]}第{a1[k] % 9 + 1}军队离退休干部休养所"
            names.append(nm)
        out: dict[str, Any] = {
            "idx": i, "region_i": r, "type_i": t, "uscc": uscc, "name": names,
            "entity_type": [_ETYPES[x][2] for x in t.tolist()],
            "subject_class": [_ETYPES[x][3] for x in t.tolist()],
            "old_style": ~new, "est_ord": est,
            "rep_name": reps["name"], "rep_ric": reps["ric"],
        }
        out["org_code"] = [u[8:17] for u in uscc]
        if full:
            out["regno"] = [(self.regno(ii) if old else "") for ii, old in zip(i.tolist(), (~new).tolist())]
            st_u = _unit(self._h(i, 16))
            cum = np.cumsum([w for _, w in _STATUS]) / sum(w for _, w in _STATUS)
            st = np.minimum(np.searchsorted(cum, st_u, side="right"), len(_STATUS) - 1)
            out["status"] = [_STATUS[x][0] for x in st.tolist()]
            road = _pick(self._h(i, 17), len(_ROADS))
            num = 1 + _pick(self._h(i, 18), 2999)
            out["address"] = [f"{CITIES[REGIONS[rr][1]][1] if not REGIONS[rr][2].endswith('市') else '山东省'}"
                              f"{REGIONS[rr][2]}{_ROADS[ro]}{nu}号"
                              for rr, ro, nu in zip(r.tolist(), road.tolist(), num.tolist())]
            out["registrar"] = [_registrar(rr) for rr in r.tolist()]
        return out

    def regno(self, i: int) -> str:
        """Legacy 15-digit 注册号 of entity i (meaningful for entities registered before 2015)."""
        return _regno(REGIONS[i % _R][0] + f"{(i * 7919 + self._b_old) % 10**8:08d}")

    def entity(self, i: int, full: bool = True) -> dict[str, Any]:
        d = self.entities([i], full=full)
        return {k: (v[0] if isinstance(v, list) else v[0].item()) for k, v in d.items()}


def _registrar(r: int) -> str:
    code, c, name = REGIONS[r]
    if name.endswith("市"):
        return f"{name}市场监督管理局"
    return f"{CITIES[c][1]}{name}市场监督管理局"


def _regno(first14: str) -> str:
    """15-digit registration number with its ISO 7064 MOD 11,10 check digit (GB/T 17710)."""
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10 or 10
        p = (2 * s) % 11
    return first14 + str((11 - p) % 10)


# --------------------------------------------------------------------------------------
# Output files
# --------------------------------------------------------------------------------------
def _header_variants(spec: dict[str, Any]) -> list[str]:
    name = spec["name"]
    out = [name]
    for a in [name] + list(spec.get("aliases", [])):
        if "(" in a:
            out.append(a.replace("(", "（").replace(")", "）"))
        if a != name:
            out.append(a)
    return out


# optional columns a department may leave out of its file (never R, R* or legacy codes used
# to key a subject)
_DROPPABLE = frozenset(("工商注册号", "事业单位证书号", "社会组织登记证号", "许可证书名称", "许可编号", "备注",
                        "处罚有效期", "暂扣或吊销证照名称及编号", "没收违法所得、没收非法财物的金额(万元)", "移出原因",
                        "修复申请日期", "注册号", "住所", "登记机关", "当前状态"))


class _File:
    def __init__(self, path: Path, encoding: str, header: list[str], keep: list[int] | None):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(path, "w", encoding=encoding, newline="")
        self.writer = csv.writer(self.fh)  # RFC 4180: CRLF, quotes doubled, quoting as needed
        self.writer.writerow(header)
        self.getter = itemgetter(*keep) if keep is not None else None
        self.rows = 0

    def write(self, rows: Sequence[tuple]) -> None:
        if self.getter is None:
            self.writer.writerows(rows)
        else:
            self.writer.writerows(map(self.getter, rows))
        self.rows += len(rows)

    def close(self) -> None:
        self.fh.close()


class _Sinks:
    def __init__(self, out_dir: Path, contract: dict, messy: bool, seed: int):
        self.out_dir, self.contract, self.messy, self.seed = out_dir, contract, messy, seed
        self.files: dict[tuple[str, str], _File] = {}
        self.parts: dict[tuple[str, str], int] = {}
        self.counts = {k: 0 for k in KINDS}

    def _open(self, kind: str, group: str, part: int) -> _File:
        name = f"{group}_{part:02d}.csv"
        cols = self.contract[kind]["columns"]
        header = [c["name"] for c in cols]
        encoding, keep = "utf-8", None
        if self.messy:
            rnd = random.Random(f"{self.seed}/{kind}/{name}")
            u = rnd.random()
            encoding = "gb18030" if u < FILE_RATE_GB18030 else (
                "utf-8-sig" if u < FILE_RATE_GB18030 + FILE_RATE_UTF8_BOM else "utf-8")
            if rnd.random() < FILE_RATE_HEADER_VARIANT:
                header = []
                for c in cols:
                    h = rnd.choice(_header_variants(c)) if rnd.random() < 0.5 else c["name"]
                    if rnd.random() < 0.15:
                        h = rnd.choice((" ", "  ", "\u3000")) + h + rnd.choice(("", " "))
                    header.append(h)
            if rnd.random() < FILE_RATE_DROP_OPTIONAL:
                optional = [j for j, c in enumerate(cols) if c["name"] in _DROPPABLE]
                drop = set(rnd.sample(optional, min(len(optional), rnd.randint(1, 3))))
                keep = [j for j in range(len(cols)) if j not in drop]
                header = [header[j] for j in keep]
        return _File(self.out_dir / kind / name, encoding, header, keep)

    def write(self, kind: str, group: str, rows: list[tuple]) -> None:
        key, pos = (kind, group), 0
        while pos < len(rows):
            f = self.files.get(key)
            if f is None or f.rows >= ROWS_PER_FILE:
                if f is not None:
                    f.close()
                self.parts[key] = self.parts.get(key, 0) + 1
                f = self.files[key] = self._open(kind, group, self.parts[key])
            take = min(len(rows) - pos, ROWS_PER_FILE - f.rows)
            f.write(rows[pos:pos + take])
            pos += take
        self.counts[kind] += len(rows)

    def close(self, kind: str | None = None, group: str | None = None) -> None:
        for key in [k for k in self.files if (kind is None or k[0] == kind) and (group is None or k[1] == group)]:
            self.files.pop(key).close()


# --------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------
@dataclass
class _Chunk:
    cols: dict[str, list]
    city: np.ndarray
    sub_ord: np.ndarray
    decision_ord: np.ndarray | None
    group_month: list[str] | None = None      # per-row month label (repair), else the chunk's
    no_legacy: np.ndarray | None = None       # rows that must keep their USCC
    extra: dict[str, Any] = field(default_factory=dict)


# per kind: decision column, identity column to blank, code columns, date columns, text columns,
# subject USCC column, (kind-specific) out-of-list columns
_PROFILE = {
    "license": dict(decision="许可决定日期", blank="行政许可决定文书号",
                    codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "许可机关统一社会信用代码", "组织机构代码",
                           "证件号码", "法定代表人证件号码", "行政许可决定文书号"),
                    dates=("许可决定日期", "有效期自", "有效期至"), text=("行政相对人名称", "许可内容", "备注", "许可机关"), long_text=("许可内容", "备注"),
                    open_ended="有效期至", lists={"许可类别": ("一般许可", "行政确认", "特殊"),
                                                 "行政相对人类别": ("企业法人", "法人")}),
    "penalty": dict(decision="处罚决定日期", blank="行政处罚决定书文号",
                    codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "处罚机关统一社会信用代码", "组织机构代码",
                           "证件号码", "法定代表人证件号码", "行政处罚决定书文号"),
                    dates=("处罚决定日期", "处罚有效期", "公示截止期"), text=("行政相对人名称", "违法事实", "备注", "处罚机关"), long_text=("违法事实", "处罚内容", "备注"),
                    open_ended=None, lists={"处罚类别": ("责令改正", "罚款;责令改正", "限期整改"),
                                           "行政相对人类别": ("企业法人", "个人")}),
    "credit_list": dict(decision="列入日期", blank="列入决定文书号",
                        codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "认定部门统一社会信用代码", "证件号码",
                               "法定代表人证件号码", "列入决定文书号"),
                        dates=("列入日期", "有效期至", "移出日期"), text=("主体名称", "列入事由", "认定部门"), long_text=("列入事由", "移出原因"),
                        open_ended="有效期至", lists={"名单类型": ("黑名单", "红名单"), "主体类别": ("企业法人",)}),
    "commitment": dict(decision="承诺日期", blank="承诺事项",
                       codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "承诺受理单位统一社会信用代码", "证件号码"),
                       dates=("承诺日期", "违诺认定日期"), text=("承诺主体名称", "承诺受理单位"), long_text=(),
                       open_ended=None, lists={"履约状态": ("正常", "未履约"), "承诺类型": ("告知承诺",)}),
    "repair": dict(decision="修复决定日期", blank="关联文书号",
                   codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "关联机关统一社会信用代码", "关联文书号"),
                   dates=("修复申请日期", "修复决定日期"), text=("主体名称", "修复机构"), long_text=(),
                   open_ended=None, lists={"修复结果": ("通过", "同意修复"), "修复类型": ("信用修复",)}),
    "registry": dict(decision=None, blank="统一社会信用代码",
                     codes=("统一社会信用代码", "数据来源单位统一社会信用代码", "组织机构代码", "法定代表人证件号码", "注册号"),
                     dates=("成立日期",), text=("主体名称", "住所", "法定代表人"), long_text=("住所",),
                     open_ended=None, lists={"主体类型": ("有限责任公司", "公司"), "登记状态": ("正常",)}),
}


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """Integer shares of total proportional to weights (largest remainder)."""
    w = np.asarray(weights, dtype=np.float64)
    if total <= 0 or w.sum() <= 0:
        return [0] * len(w)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = total - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base.tolist()


def _chunks(n: int) -> list[int]:
    return [CHUNK_ROWS] * (n // CHUNK_ROWS) + ([n % CHUNK_ROWS] if n % CHUNK_ROWS else [])


def _fmt_amount(a: float) -> str:
    s = f"{a:.4f}".rstrip("0").rstrip(".")
    return s or "0"


def _severity(cats: list[str]) -> str:
    s = set(cats)
    if s & _SEVERE_CATS:
        return "严重"
    if s and s <= _MINOR_CATS:
        return "轻微"
    return "一般"


class _Generator:
    def __init__(self, out_dir: Path, records: int, seed: int, messy: bool, start: date, end: date):
        if records < 1:
            raise ValueError("records must be >= 1")
        if end < start:
            raise ValueError("end precedes start")
        self.out_dir, self.records, self.seed, self.messy = Path(out_dir), records, seed, messy
        self.start, self.end = start.toordinal(), end.toordinal()
        self.contract = load_contract()
        self.world = World(records, seed, start)
        self.sinks = _Sinks(self.out_dir, self.contract, messy, seed)
        self.wd = _workdays(self.start - 40, self.end + 400)
        trng = np.random.default_rng([seed, 99])
        hours = np.array([1, 1, 1, 1, 1, 1, 2, 6, 30, 60, 70, 60, 20, 15, 55, 65, 60, 45, 20, 8, 6, 4, 2, 1], float)
        hh = trng.choice(24, size=4096, p=hours / hours.sum())
        mm, ss = trng.integers(0, 60, 4096), trng.integers(0, 60, 4096)
        self.times = np.array([f"{h:02d}:{m:02d}:{s:02d}" for h, m, s in zip(hh, mm, ss)], dtype=object)
        self.counters: dict[tuple, int] = {}
        self.pending: dict[tuple[str, int], list[tuple]] = {}
        self.w_dept = {k: _dept_weights(k) for k in _DOMAIN_WEIGHT}
        self._prep_templates()
        self.hdr = {k: [c["name"] for c in self.contract[k]["columns"]] for k in KINDS}
        self.required = {k: [c["name"] for c in self.contract[k]["columns"]
                             if c.get("required") and c["name"] not in self.contract[k]["identity"]] for k in KINDS}
        self.optional = {k: [c["name"] for c in self.contract[k]["columns"] if not c.get("required")] for k in KINDS}

    # ---------------------------------------------------------------------------------
    def _prep_templates(self) -> None:
        # flatten per-domain templates into arrays indexed by template id
        self.pen_t: list[_PenaltyT] = []
        self.pen_by_domain: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for dom, ts in _PENALTY_TEMPLATES.items():
            ids = np.arange(len(self.pen_t), len(self.pen_t) + len(ts))
            self.pen_t.extend(ts)
            w = np.array([t.weight for t in ts], float)
            self.pen_by_domain[dom] = (ids, w / w.sum())
        # penalty category options: (template, "罚款;没收违法所得") with precomputed content
        self.pen_opts: list[dict[str, Any]] = []
        self.pen_opt_by_t: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for t, tp in enumerate(self.pen_t):
            ids = []
            for cs, _w in tp.cats:
                cats = cs.split(";")
                parts = []
                for cat in cats:
                    parts.append({"罚款": "罚款人民币{fine:,}元", "没收违法所得": "没收违法所得人民币{conf:,}元",
                                  "没收非法财物": "没收涉案物品", "暂扣许可证件": f"暂扣{tp.cert}六个月",
                                  "吊销许可证件": f"吊销{tp.cert}", "限制开展生产经营活动": "限制开展生产经营活动三个月",
                                  "责令停产停业": "责令停产停业整顿"}.get(cat, cat[3:] if cat.startswith("其他-") else cat))
                content = "，".join(parts)
                ids.append(len(self.pen_opts))
                self.pen_opts.append({
                    "cats": cats, "joined": ";".join(cats), "sev": _severity(cats), "content": content,
                    "fmt": "{" in content, "fine": "罚款" in cats,
                    "conf": "没收违法所得" in cats or "没收非法财物" in cats,
                    "cert": "暂扣许可证件" in cats or "吊销许可证件" in cats})
            w = np.array([w for _, w in tp.cats], float)
            self.pen_opt_by_t[t] = (np.array(ids), w / w.sum())
        self.lic_t: list[_LicenseT] = []
        self.lic_by_domain: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for dom, ts in _LICENSE_TEMPLATES.items():
            ids = np.arange(len(self.lic_t), len(self.lic_t) + len(ts))
            self.lic_t.extend(ts)
            w = np.array([t.weight for t in ts], float)
            self.lic_by_domain[dom] = (ids, w / w.sum())
        self.list_by_domain: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for dom in {t[1] for t in _LIST_TEMPLATES}:
            ids = np.array([j for j, t in enumerate(_LIST_TEMPLATES) if t[1] == dom])
            w = np.array([_LIST_TEMPLATES[j][6] for j in ids], float)
            self.list_by_domain[dom] = (ids, w / w.sum())

    def _templates(self, rng, depts: np.ndarray, by_domain) -> np.ndarray:
        out = np.zeros(len(depts), dtype=np.int64)
        for d in np.unique(depts):
            sel = np.nonzero(depts == d)[0]
            ids, p = by_domain[DEPARTMENTS[d].domain]
            out[sel] = rng.choice(ids, size=len(sel), p=p)
        return out

    def _depts(self, rng, kind: str, n: int) -> np.ndarray:
        return rng.choice(len(DEPARTMENTS), size=n, p=self.w_dept[kind])

    def _decisions(self, rng, n: int, a: int, b: int) -> np.ndarray:
        wd = self.wd[(self.wd >= a) & (self.wd <= b)]
        anyday = a + rng.integers(0, b - a + 1, n)
        if len(wd) == 0:
            return anyday
        on_wd = wd[rng.integers(0, len(wd), n)]
        return np.where(rng.random(n) < SHARE_DECISION_ON_WORKDAY, on_wd, anyday)

    def _submissions(self, rng, dec: np.ndarray) -> tuple[np.ndarray, list[str]]:
        n = len(dec)
        u = rng.random(n)
        k = rng.choice(np.arange(1, 8), size=n, p=[0.30, 0.22, 0.15, 0.10, 0.08, 0.08, 0.07])
        late = 8 + np.minimum(rng.geometric(0.12, n) - 1, 50)
        k = np.where(u < SHARE_SAME_DAY, 0, np.where(u > 1 - SHARE_LATE, late, k))
        pos = np.searchsorted(self.wd, dec, side="right")
        sub = np.where(k == 0, dec, self.wd[np.minimum(pos + k - 1, len(self.wd) - 1)])
        sub = np.minimum(sub, self.end)
        sub = np.maximum(sub, dec)
        t = rng.integers(0, len(self.times), n)
        return sub, [d + " " + tm for d, tm in zip(_ds(sub), self.times[t].tolist())]

    def _datetime(self, rng, ords: np.ndarray) -> list[str]:
        t = rng.integers(0, len(self.times), len(ords))
        return [d + " " + tm for d, tm in zip(_ds(ords), self.times[t].tolist())]

    def _seq(self, tag: str, depts: np.ndarray, dec: np.ndarray) -> np.ndarray:
        years = _year(dec)
        key = depts.astype(np.int64) * 10_000 + years
        order = np.lexsort((dec, key))
        sk = key[order]
        uniq, first, counts = np.unique(sk, return_index=True, return_counts=True)
        rank = np.arange(len(sk)) - np.repeat(first, counts)
        base = np.array([self.counters.get((tag, int(k)), 0) for k in uniq], dtype=np.int64)
        for k, b, c in zip(uniq.tolist(), base.tolist(), counts.tolist()):
            self.counters[(tag, k)] = b + c
        seq = np.empty(len(sk), dtype=np.int64)
        seq[order] = np.repeat(base, counts) + rank + 1
        return seq

    def _subject_regions(self, rng, depts: np.ndarray) -> np.ndarray:
        n = len(depts)
        city = _DEPT_CITY[depts]
        reg = np.empty(n, dtype=np.int64)
        for c in range(len(CITIES)):
            sel = np.nonzero(city == c)[0]
            reg[sel] = _CITY_REGIONS[c][rng.integers(0, len(_CITY_REGIONS[c]), len(sel))]
        own = _DEPT_REGION_I[depts]
        return np.where((own >= 0) & (rng.random(n) < 0.9), own, reg)

    def _entity_idx(self, rng, regions: np.ndarray, allow_outside: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Skewed choice of an entity in each region; some registered elsewhere."""
        w = self.world
        kmax = np.array([max(1, w.region_count(r)) for r in range(_R)], dtype=np.int64)[regions]
        k = np.minimum((rng.random(len(regions)) ** 1.8 * kmax).astype(np.int64), kmax - 1)
        idx = k * _R + regions
        inside = idx < w.n_entities
        if allow_outside:
            outside = rng.random(len(regions)) < SHARE_OUTSIDE_REGISTRY
            far = (w.n_entities // _R + 2 + rng.integers(0, 10 * kmax.max() + 10, len(regions))) * _R + regions
            idx = np.where(outside, far, idx)
            inside = inside & ~outside
        return idx, inside

    def _person_idx(self, rng, regions: np.ndarray) -> np.ndarray:
        kmax = max(1, self.world.n_persons // _R)
        return rng.integers(0, kmax, len(regions)) * _R + regions

    def _subjects(self, rng, depts: np.ndarray, person_share: np.ndarray, allow_outside: bool = True) -> dict[str, Any]:
        """Subject columns (license/penalty naming) for each row."""
        n = len(depts)
        regions = self._subject_regions(rng, depts)
        is_person = rng.random(n) < person_share
        eidx, inside = self._entity_idx(rng, regions, allow_outside)
        pidx = self._person_idx(rng, regions)
        o = np.nonzero(~is_person)[0]
        p = np.nonzero(is_person)[0]
        ent = self.world.entities(eidx[o])
        per = self.world.persons(pidx[p])
        E = [""] * n
        name, cls, uscc, regno, orgc, taxno, sydw, shzz = (list(E) for _ in range(8))
        rep, rep_t, rep_id, id_t, id_no = (list(E) for _ in range(5))
        u = rng.random((n, 5))
        for j, row in enumerate(o.tolist()):
            name[row] = ent["name"][j]
            cls[row] = ent["subject_class"][j]
            uscc[row] = ent["uscc"][j]
            old = bool(ent["old_style"][j])
            if old and u[row, 0] < 0.3:
                regno[row] = self.world.regno(int(ent["idx"][j]))
            if old and u[row, 1] < 0.2:
                orgc[row] = ent["org_code"][j]
            if old and u[row, 2] < 0.1:
                taxno[row] = ent["uscc"][j][2:17]
            ti = int(ent["type_i"][j])
            if ti == 3 and u[row, 3] < 0.5:      # 事业单位法人证书号
                sydw[row] = f"事证第1{ent['uscc'][j][2:8]}{int(ent['idx'][j]) % 100000:05d}号"
            elif ti in (4, 5) and u[row, 3] < 0.5:  # 社会组织登记证号
                city_abbr = CITIES[REGIONS[int(ent["region_i"][j])][1]][3]
                shzz[row] = f"鲁{city_abbr}民证字第{int(ent['idx'][j]) % 1000000:06d}号"
            rep[row] = ent["rep_name"][j]
            if u[row, 4] < 0.85:
                rep_t[row] = "身份证"
                rep_id[row] = ent["rep_ric"][j]
        for j, row in enumerate(p.tolist()):
            name[row] = per["name"][j]
            cls[row] = "自然人"
            id_t[row] = "身份证"
            id_no[row] = per["ric"][j]
        in_registry = np.zeros(n, dtype=bool)
        in_registry[o] = inside[o]
        clean_uscc = list(uscc)
        return {"行政相对人名称": name, "行政相对人类别": cls, "统一社会信用代码": uscc, "工商注册号": regno,
                "组织机构代码": orgc, "税务登记号": taxno, "事业单位证书号": sydw, "社会组织登记证号": shzz,
                "法定代表人": rep, "法定代表人证件类型": rep_t, "法定代表人证件号码": rep_id,
                "证件类型": id_t, "证件号码": id_no,
                "_is_person": is_person, "_in_registry": in_registry, "_uscc": clean_uscc}

    def _source(self, rng, depts: np.ndarray) -> np.ndarray:
        by_city = rng.random(len(depts)) < SHARE_DELIVERED_BY_CITY
        return np.where(by_city, _DEPT_PARENT[depts], depts)

    # ---------------------------------------------------------------------------------
    def _license_chunk(self, rng, n: int, a: int, b: int) -> _Chunk:
        depts = self._depts(rng, "license", n)
        tid = self._templates(rng, depts, self.lic_by_domain)
        T = self.lic_t
        dec = self._decisions(rng, n, a, b)
        sub, sub_s = self._submissions(rng, dec)
        subj = self._subjects(rng, depts, np.array([T[t].person for t in tid.tolist()]))
        seq = self._seq("L", depts, dec)
        years = _year(dec).tolist()
        src = self._source(rng, depts)
        dec_s = _ds(dec)
        cu = rng.random((n, 3))
        docno, cert, num, content, valid_to, state, remark = [], [], [], [], [], [], []
        for j, (d, t, y, s) in enumerate(zip(depts.tolist(), tid.tolist(), years, seq.tolist())):
            tp = T[t]
            docno.append(_LIC_DOC_T[d].format(y=y, n=s))
            cert.append(tp.cert)
            dept = DEPARTMENTS[d]
            num.append(tp.num.format(r=dept.region, r4=dept.region[:4], y=y, s=s,
                                     u=subj["_uscc"][j] or dept.uscc, k=CITIES[dept.city][3]) if tp.num else "")
            content.append(tp.contents[int(cu[j, 0] * len(tp.contents))])
            valid_to.append("长期" if tp.years is None else _add_years(int(dec[j]), tp.years))
            x = cu[j, 1]
            state.append("有效" if x < 0.9 else ("无效" if x < 0.93 else ""))
            remark.append("" if cu[j, 2] < 0.9 else ("告知承诺审批" if cu[j, 2] < 0.95 else "变更换证"))
        cols = {k: v for k, v in subj.items() if not k.startswith("_")}
        cols.update({
            "数据来源单位": _DEPT_NAME[src].tolist(), "数据来源单位统一社会信用代码": _DEPT_USCC[src].tolist(),
            "报送时间": sub_s, "行政许可决定文书名称": [T[t].doc for t in tid.tolist()], "行政许可决定文书号": docno,
            "许可类别": [T[t].cat for t in tid.tolist()], "许可证书名称": cert, "许可编号": num, "许可内容": content,
            "许可决定日期": dec_s, "有效期自": list(dec_s), "有效期至": valid_to,
            "许可机关": _DEPT_NAME[depts].tolist(), "许可机关统一社会信用代码": _DEPT_USCC[depts].tolist(),
            "当前状态": state, "备注": remark,
        })
        return _Chunk(cols, _DEPT_CITY[depts], sub, dec, extra={"subj": subj})

    def _penalty_chunk(self, rng, n: int, a: int, b: int) -> _Chunk:
        depts = self._depts(rng, "penalty", n)
        tid = self._templates(rng, depts, self.pen_by_domain)
        T = self.pen_t
        dec = self._decisions(rng, n, a, b)
        sub, sub_s = self._submissions(rng, dec)
        subj = self._subjects(rng, depts, np.array([T[t].person for t in tid.tolist()]))
        seq = self._seq("P", depts, dec)
        years = _year(dec).tolist()
        src = self._source(rng, depts)
        cu = rng.random((n, 8))
        # category option per row (vectorised per template), amounts vectorised
        opt = np.zeros(n, dtype=np.int64)
        for t in np.unique(tid):
            sel = np.nonzero(tid == t)[0]
            ids, p = self.pen_opt_by_t[int(t)]
            opt[sel] = rng.choice(ids, size=len(sel), p=p)
        lo = np.array([T[t].fine[0] for t in range(len(T))])[tid]
        hi = np.array([T[t].fine[1] for t in range(len(T))])[tid]
        fine = np.exp(np.log(lo) + cu[:, 3] * (np.log(hi) - np.log(lo)))
        fine = np.where(fine >= 1, np.round(fine, 1), np.round(fine, 2))
        conf = np.round(fine * (0.1 + cu[:, 4]), 2)
        fine_yuan = np.rint(fine * 10000).astype(np.int64).tolist()
        conf_yuan = np.rint(conf * 10000).astype(np.int64).tolist()
        fine_l, conf_l = fine.tolist(), conf.tolist()
        seps = ("；", "、", ",")
        O = self.pen_opts
        docno, facts, cats_col, content, fine_col, conf_col, cert_col = [], [], [], [], [], [], []
        pub_end, pen_valid, given_col, status, remark, sev_derived = [], [], [], [], [], []
        dec_l = dec.tolist()
        for j, (d, t, o, y, s) in enumerate(zip(depts.tolist(), tid.tolist(), opt.tolist(), years, seq.tolist())):
            tp, op = T[t], O[o]
            docno.append(_PEN_DOC_T[d].format(y=y, n=s))
            facts.append(tp.facts[int(cu[j, 0] * len(tp.facts))])
            if self.messy and cu[j, 2] < RATE_OTHER_CATEGORY_SEPARATOR and len(op["cats"]) > 1:
                cats_col.append(seps[int(cu[j, 2] / RATE_OTHER_CATEGORY_SEPARATOR * 3) % 3].join(op["cats"]))
            else:
                cats_col.append(op["joined"])
            content.append(op["content"].format(fine=fine_yuan[j], conf=conf_yuan[j]) if op["fmt"] else op["content"])
            fine_col.append(_fmt_amount(fine_l[j]) if op["fine"] else "")
            conf_col.append(_fmt_amount(conf_l[j]) if op["conf"] else "")
            if op["cert"]:
                cert_no = subj["_uscc"][j] or f"JY1{DEPARTMENTS[d].region}{s:07d}"
                cert_col.append(f"{tp.cert}（编号{cert_no}）")
            else:
                cert_col.append("")
            sev = op["sev"]
            sev_derived.append(sev)
            end_pub = "" if sev == "轻微" else _add_years(dec_l[j], 3 if sev == "严重" else 1, minus_one=False)
            x = cu[j, 5]
            pub_end.append(end_pub if x < 0.8 else "")
            pen_valid.append(end_pub if x < 0.4 else "")
            z = cu[j, 6]
            given_col.append("" if z < 0.3 else (sev if z < 0.95 else ("轻微", "一般", "严重")[int(z * 1000) % 3]))
            st = cu[j, 7]
            status.append("正常" if st < 0.95 else ("" if st < 0.98 else "撤销"))
            remark.append("" if st < 0.9 or st >= 0.98 else "当事人已履行处罚决定")
        cols_out = {
            "行政处罚决定书文号": docno, "违法行为类型": [T[t].type for t in tid.tolist()], "违法事实": facts,
            "处罚依据": [T[t].basis for t in tid.tolist()], "处罚类别": cats_col, "处罚内容": content,
            "罚款金额(万元)": fine_col, "没收违法所得、没收非法财物的金额(万元)": conf_col,
            "暂扣或吊销证照名称及编号": cert_col, "处罚有效期": pen_valid, "公示截止期": pub_end,
            "失信程度": given_col, "记录状态": status, "备注": remark,
        }
        cols = {k: v for k, v in subj.items() if not k.startswith("_")}
        cols.update(cols_out)
        cols.update({
            "数据来源单位": _DEPT_NAME[src].tolist(), "数据来源单位统一社会信用代码": _DEPT_USCC[src].tolist(),
            "报送时间": sub_s, "处罚决定日期": _ds(dec),
            "处罚机关": _DEPT_NAME[depts].tolist(), "处罚机关统一社会信用代码": _DEPT_USCC[depts].tolist(),
        })
        return _Chunk(cols, _DEPT_CITY[depts], sub, dec,
                      extra={"subj": subj, "sev": sev_derived, "depts": depts, "status": list(cols["记录状态"]),
                             "docno": list(cols["行政处罚决定书文号"]), "name": list(subj["行政相对人名称"])})

    def _list_chunk(self, rng, n: int, a: int, b: int, n_repair: int) -> tuple[_Chunk, list[dict]]:
        depts = self._depts(rng, "credit_list", n)
        tid = self._templates(rng, depts, self.list_by_domain)
        dec = self._decisions(rng, n, a, b)
        sub, sub_s = self._submissions(rng, dec)
        person_share = np.array([_LIST_TEMPLATES[t][5] for t in tid.tolist()])
        subj = self._subjects(rng, depts, person_share)
        seq = self._seq("C", depts, dec)
        years = _year(dec).tolist()
        cu = rng.random((n, 5))
        docno, valid_to, removed, reason, rep, rep_t, rep_id = [], [], [], [], [], [], []
        for j, (d, t, y, s) in enumerate(zip(depts.tolist(), tid.tolist(), years, seq.tolist())):
            tp = _LIST_TEMPLATES[t]
            docno.append(_LIST_DOC_T[d].format(y=y, n=s))
            valid_to.append("" if tp[4] is None or cu[j, 0] < 0.15 else _add_years(int(dec[j]), tp[4]))
            rm, rs = "", ""
            if cu[j, 1] < 0.08:
                o = int(dec[j]) + 10 + int(cu[j, 2] * 150)
                if o <= self.end:
                    rm = _iso(o)
                    reasons = _REMOVAL_REASONS[tp[0]]  # 信用修复 only through a repair (below)
                    rs = reasons[int(cu[j, 4] * len(reasons))]
            removed.append(rm)
            reason.append(rs)
            keep_rep = tp[0] == "严重失信主体名单" and not subj["_is_person"][j] and cu[j, 3] < 0.7
            rep.append(subj["法定代表人"][j] if keep_rep else "")
            rep_t.append(subj["法定代表人证件类型"][j] if keep_rep else "")
            rep_id.append(subj["法定代表人证件号码"][j] if keep_rep else "")
        cols = {
            "数据来源单位": _DEPT_NAME[depts].tolist(), "数据来源单位统一社会信用代码": _DEPT_USCC[depts].tolist(),
            "报送时间": sub_s, "名单类型": [_LIST_TEMPLATES[t][0] for t in tid.tolist()],
            "主体名称": subj["行政相对人名称"], "主体类别": subj["行政相对人类别"], "统一社会信用代码": subj["统一社会信用代码"],
            "证件类型": subj["证件类型"], "证件号码": subj["证件号码"],
            "法定代表人": rep, "法定代表人证件类型": rep_t, "法定代表人证件号码": rep_id,
            "列入决定文书号": docno, "列入事由": [_LIST_TEMPLATES[t][2] for t in tid.tolist()],
            "认定依据": [_LIST_TEMPLATES[t][3] for t in tid.tolist()],
            "认定部门": _DEPT_NAME[depts].tolist(), "认定部门统一社会信用代码": _DEPT_USCC[depts].tolist(),
            "列入日期": _ds(dec), "有效期至": valid_to, "移出日期": removed, "移出原因": reason,
        }
        # repairs of 严重失信主体名单 designations (organisations only): decided now, so the
        # designation row can carry its 移出日期 / 移出原因 = 信用修复 when agreed
        repairs: list[dict] = []
        cand = [j for j in range(n) if cols["名单类型"][j] == "严重失信主体名单" and not subj["_is_person"][j]
                and removed[j] == "" and int(dec[j]) + 40 <= self.end]
        if cand and n_repair:
            pick = rng.choice(len(cand), size=min(n_repair, len(cand)), replace=False)
            for j in sorted(cand[x] for x in pick.tolist()):
                app = int(dec[j]) + 20 + int(rng.integers(0, 120))
                app = min(app, self.end - 15)
                rdec = min(app + 5 + int(rng.integers(0, 20)), self.end)
                agreed = rng.random() < 0.85
                if agreed:
                    removed[j], reason[j] = _iso(rdec), "信用修复"
                repairs.append({"type": "移出严重失信主体名单", "name": subj["行政相对人名称"][j],
                                "uscc": subj["_uscc"][j], "docno": docno[j], "auth": int(depts[j]),
                                "app": app, "dec": rdec, "agreed": agreed, "fixer": int(depts[j])})
        return _Chunk(cols, _DEPT_CITY[depts], sub, dec, extra={"subj": subj}), repairs

    def _commitment_chunk(self, rng, n: int, a: int, b: int) -> _Chunk:
        tw = np.array([t[4] for t in _COMMITMENT_TEMPLATES], float)
        tid = rng.choice(len(_COMMITMENT_TEMPLATES), size=n, p=tw / tw.sum())
        city = rng.choice(len(CITIES), size=n, p=np.array([c[5] for c in CITIES]))
        depts = np.empty(n, dtype=np.int64)
        cu = rng.random((n, 4))
        for j, (t, c) in enumerate(zip(tid.tolist(), city.tolist())):
            doms = _COMMITMENT_TEMPLATES[t][2]
            dom = doms[int(cu[j, 0] * len(doms))]
            cands = _DEPTS_BY_CITY_DOMAIN.get((c, dom)) or _DEPTS_BY_CITY_DOMAIN[(c, "fg")]
            depts[j] = cands[int(cu[j, 1] * len(cands))]
        dec = self._decisions(rng, n, a, b)
        subj = self._subjects(rng, depts, np.array([_COMMITMENT_TEMPLATES[t][3] for t in tid.tolist()]))
        fw = np.array([w for _, w in _FULFIL], float)
        fi = rng.choice(len(_FULFIL), size=n, p=fw / fw.sum())
        breach = dec + 5 + rng.integers(0, 120, n)
        is_breach = (fi == 2) & (breach <= self.end)
        fi = np.where((fi == 2) & ~is_breach, 0, fi)
        clock = np.where(is_breach, breach, dec)
        sub, sub_s = self._submissions(rng, clock)
        items = []
        for j, t in enumerate(tid.tolist()):
            its = _COMMITMENT_TEMPLATES[t][1]
            items.append(its[int(cu[j, 2] * len(its))])
        breach_s = _ds(breach)
        cols = {
            "数据来源单位": _DEPT_NAME[depts].tolist(), "数据来源单位统一社会信用代码": _DEPT_USCC[depts].tolist(),
            "报送时间": sub_s, "承诺主体名称": subj["行政相对人名称"], "主体类别": subj["行政相对人类别"],
            "统一社会信用代码": subj["统一社会信用代码"], "证件类型": subj["证件类型"], "证件号码": subj["证件号码"],
            "承诺类型": [_COMMITMENT_TEMPLATES[t][0] for t in tid.tolist()], "承诺事项": items,
            "承诺日期": _ds(dec), "承诺受理单位": _DEPT_NAME[depts].tolist(),
            "承诺受理单位统一社会信用代码": _DEPT_USCC[depts].tolist(),
            "履约状态": [_FULFIL[x][0] for x in fi.tolist()],
            "违诺认定日期": [s if br else "" for s, br in zip(breach_s, is_breach.tolist())],
        }
        return _Chunk(cols, _DEPT_CITY[depts], sub, clock, extra={"subj": subj})

    def _penalty_repairs(self, rng, ch: _Chunk, n_repair: int, blanked: set[int]) -> list[dict]:
        subj, sev, depts = ch.extra["subj"], ch.extra["sev"], ch.extra["depts"]
        dec = ch.decision_ord
        ok = [j for j in range(len(sev)) if sev[j] != "轻微" and not subj["_is_person"][j] and j not in blanked
              and ch.extra["status"][j] != "撤销" and int(dec[j]) + 20 <= self.end]
        if not ok or not n_repair:
            return []
        pick = sorted(ok[x] for x in rng.choice(len(ok), size=min(n_repair, len(ok)), replace=False).tolist())
        out = []
        for j in pick:
            o = int(dec[j])
            earliest = _add_months_ord(o, 12 if sev[j] == "严重" else 3)
            app = earliest + int(rng.integers(0, 40))
            rdec = app + 5 + int(rng.integers(0, 15))
            agreed = rng.random() < 0.9
            if rdec > self.end:  # applied before the minimum publication period: refused
                app = o + 15 + int(rng.integers(0, 40))
                app = min(app, self.end - 3)
                rdec = min(app + 3 + int(rng.integers(0, 10)), self.end)
                agreed = False
            out.append({"type": "终止公示行政处罚信息", "name": ch.extra["name"][j], "uscc": subj["_uscc"][j],
                        "docno": ch.extra["docno"][j], "auth": int(depts[j]), "app": app, "dec": rdec,
                        "agreed": agreed, "fixer": int(_DEPT_FGW[DEPARTMENTS[int(depts[j])].city])})
        return out

    def _repair_chunk(self, rng, reps: list[dict]) -> _Chunk:
        n = len(reps)
        fixer = np.array([r["fixer"] for r in reps], dtype=np.int64)
        rdec = np.array([r["dec"] for r in reps], dtype=np.int64)
        sub, sub_s = self._submissions(rng, rdec)
        has_app = rng.random(n) < 0.9
        cols = {
            "数据来源单位": _DEPT_NAME[fixer].tolist(), "数据来源单位统一社会信用代码": _DEPT_USCC[fixer].tolist(),
            "报送时间": sub_s, "修复类型": [r["type"] for r in reps], "主体名称": [r["name"] for r in reps],
            "统一社会信用代码": [r["uscc"] for r in reps], "关联文书号": [r["docno"] for r in reps],
            "关联机关统一社会信用代码": [DEPARTMENTS[r["auth"]].uscc for r in reps],
            "修复申请日期": [(_iso(r["app"]) if h else "") for r, h in zip(reps, has_app.tolist())],
            "修复决定日期": _ds(rdec), "修复结果": ["同意" if r["agreed"] else "不同意" for r in reps],
            "修复机构": _DEPT_NAME[fixer].tolist(),
        }
        months = [s[:7] for s in _ds(rdec)]
        return _Chunk(cols, _DEPT_CITY[fixer], sub, rdec, group_month=months,
                      no_legacy=np.ones(n, dtype=bool))

    def _registry_chunk(self, rng, lo: int, hi: int) -> _Chunk:
        idx = np.arange(lo, hi, dtype=np.int64)
        n = len(idx)
        e = self.world.entities(idx, full=True)
        city = np.array([REGIONS[r][1] for r in e["region_i"].tolist()], dtype=np.int64)
        src = _DEPT_SCJG_CITY[city]
        sub = self.start + rng.integers(0, self.end - self.start + 1, n)
        cu = rng.random((n, 3))
        old = e["old_style"]
        cols = {
            "数据来源单位": _DEPT_NAME[src].tolist(), "数据来源单位统一社会信用代码": _DEPT_USCC[src].tolist(),
            "报送时间": self._datetime(rng, sub), "统一社会信用代码": e["uscc"], "主体名称": e["name"],
            "主体类型": e["entity_type"], "法定代表人": e["rep_name"],
            "法定代表人证件类型": ["身份证" if x < 0.9 else "" for x in cu[:, 0].tolist()],
            "法定代表人证件号码": [ric if x < 0.9 else "" for ric, x in zip(e["rep_ric"], cu[:, 0].tolist())],
            "成立日期": _ds(e["est_ord"]), "登记状态": e["status"], "注册号": e["regno"],
            "组织机构代码": [oc if (o or x < 0.5) else "" for oc, o, x in zip(e["org_code"], old.tolist(), cu[:, 1].tolist())],
            "住所": e["address"], "登记机关": e["registrar"],
        }
        return _Chunk(cols, city, sub, None, no_legacy=np.ones(n, dtype=bool))

    # ---------------------------------------------------------------------------------
    def _mess(self, kind: str, ch: _Chunk, rng, prng: random.Random) -> set[int]:
        """Inject row and cell defects in place; returns the rows whose identity was blanked."""
        cols, prof = ch.cols, _PROFILE[kind]
        n = len(ch.sub_ord)

        def pick(rate: float) -> list[int]:
            k = int(rng.binomial(n, rate)) if n else 0
            return sorted(rng.choice(n, size=k, replace=False).tolist()) if k else []

        # open-ended validity written 9999-12-31
        oe = prof["open_ended"]
        if oe:
            col = cols[oe]
            for i in pick(RATE_OPEN_ENDED_9999 * 0.3):
                if col[i] == "":
                    col[i] = "长期"
            for i, v in enumerate(col):
                if v == "长期" and prng.random() < RATE_OPEN_ENDED_9999:
                    col[i] = "9999-12-31"
        uscc = cols.get("统一社会信用代码")
        if uscc is not None and kind != "registry":
            # wrong check character
            for i in pick(RATE_INVALID_USCC_CHECK):
                v = uscc[i]
                if len(v) == 18 and v[17] in _AVAL:
                    uscc[i] = v[:17] + codes.USCC_ALPHABET[(_AVAL[v[17]] + 1 + prng.randrange(30)) % 31]
            # legacy code only
            subj = ch.extra.get("subj")
            if subj is not None and ("组织机构代码" in cols or "税务登记号" in cols):
                for i in pick(RATE_LEGACY_CODE_ONLY):
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
        # invalid identity numbers
        for name in ("证件号码", "法定代表人证件号码"):
            col = cols.get(name)
            if col is None:
                continue
            for i in pick(RATE_INVALID_RIC):
                v = col[i]
                if len(v) != 18 or not v[:17].isascii() or not v[:17].isdigit():
                    continue
                if prng.random() < 0.5:
                    good = v[17]
                    col[i] = v[:17] + prng.choice([c for c in "0123456789X" if c != good])
                else:
                    bad = v[:10] + prng.choice(("0230", "1345", "0231", "0000")) + v[14:17]
                    col[i] = bad + codes.ric_check_char(bad)
        # unparseable dates / submission before decision
        date_cols = [c for c in prof["dates"] if c in cols] + ["报送时间"]
        for i in pick(RATE_UNPARSEABLE_DATE):
            cols[prng.choice(date_cols)][i] = prng.choice(_BAD_DATES)
        if ch.decision_ord is not None:
            for i in pick(RATE_SUBMITTED_BEFORE_DECISION):
                o = int(ch.decision_ord[i]) - 1 - prng.randrange(10)
                cols["报送时间"][i] = f"{_iso(o)} {prng.randrange(8, 18):02d}:{prng.randrange(60):02d}:{prng.randrange(60):02d}"
        # missing non-identity required cell
        req = [c for c in self.required[kind] if c in cols]
        for i in pick(RATE_MISSING_REQUIRED_CELL):
            cols[prng.choice(req)][i] = prng.choice(("", "", "无"))
        # out-of-list values
        lists = list(prof["lists"].items())
        for i in pick(RATE_OUT_OF_LIST_VALUE):
            name, bad = prng.choice(lists)
            cols[name][i] = prng.choice(bad)
        if kind == "penalty":
            col = cols["罚款金额(万元)"]
            for i in pick(RATE_BAD_AMOUNT):
                col[i] = prng.choice(("-0.5", "5000元", "约2万", "1,2"))
        # commas, quotes and line breaks inside cells
        text = [c for c in prof["long_text"] if c in cols]
        for i in (pick(RATE_TRICKY_TEXT) if text else []):
            name = prng.choice(text)
            cols[name][i] = cols[name][i] + prng.choice(_TRICKY)
        # identity column empty -> rejected row
        blanked = set()
        for i in pick(RATE_MISSING_IDENTITY):
            cols[prof["blank"]][i] = prng.choice(("", "", "无", "/"))
            blanked.add(i)
        # format noise last, over the defects above
        # date format variants
        for name in list(prof["dates"]) + ["报送时间"]:
            col = cols[name]
            for i in pick(RATE_DATE_VARIANT):
                col[i] = _date_variant(col[i], prng)
        # codes: full-width, lower case
        for name in prof["codes"]:
            col = cols[name]
            for i in pick(RATE_FULLWIDTH_CODE):
                col[i] = col[i].translate(_FW)
            for i in pick(RATE_LOWERCASE_CODE):
                col[i] = col[i].lower()
        # surrounding spaces
        for name in list(prof["text"]) + list(prof["codes"][:3]):
            col = cols[name]
            for i in pick(RATE_SURROUNDING_SPACES):
                if col[i]:
                    col[i] = prng.choice((" ", "  ", "\u3000")) + col[i] + prng.choice(("", " ", "  "))
        # empty markers in empty optional cells
        for name in self.optional[kind]:
            col = cols.get(name)
            if col is None:
                continue
            for i in pick(RATE_EMPTY_MARKER):
                if col[i] == "":
                    col[i] = prng.choice(_EMPTY_MARKERS)
        return blanked

    def _rows(self, kind: str, ch: _Chunk, rng, prng: random.Random, group: str | None) -> None:
        """Mess (if messy), add repeats/corrections, split into files and write.

        Files are grouped by ``<month>_<city>``: the chunk's month (``group``), or each row's
        own month (``ch.group_month``, repairs), or the city alone (registry)."""
        blanked: set[int] = set()
        if self.messy:
            blanked = self._mess(kind, ch, rng, prng)
        hdr = self.hdr[kind]
        n = len(ch.sub_ord)
        empty = [""] * n
        rows = list(zip(*[ch.cols.get(h, empty) for h in hdr]))
        ncity = len(CITIES)
        if ch.group_month is not None:
            labels, inv = np.unique(np.array(ch.group_month, dtype=object).astype(str), return_inverse=True)
            keys = inv.astype(np.int64) * ncity + ch.city
            names = [f"{m}_{CITIES[c][0]}" for m in labels.tolist() for c in range(ncity)]
        else:
            keys = ch.city.astype(np.int64)
            names = [f"{group}_{c[0]}" if group else c[0] for c in CITIES]
        order = np.lexsort((ch.sub_ord, keys))
        sk = keys[order]
        cuts = np.flatnonzero(np.diff(sk)) + 1
        by_group: dict[str, list[tuple]] = {}
        for seg in np.split(order, cuts) if n else []:
            by_group[names[int(keys[seg[0]])]] = [rows[i] for i in seg.tolist()]
        if self.messy and n:
            carry = kind not in ("repair", "registry")
            sub_col = hdr.index("报送时间")
            city = ch.city.tolist()
            extra: list[tuple[int, tuple]] = []
            for i in sorted(rng.choice(n, size=min(n, int(rng.binomial(n, RATE_REPEAT))), replace=False).tolist()):
                extra.append((i, rows[i]))
            for i in sorted(rng.choice(n, size=min(n, int(rng.binomial(n, RATE_CORRECTION))), replace=False).tolist()):
                if i in blanked:
                    continue
                row = list(rows[i])
                _correct(kind, hdr, row, prng)
                o = int(ch.sub_ord[i])
                new_o = min(o + 1 + prng.randrange(30), self.end)
                tm = "23:59:59" if new_o == o else f"{prng.randrange(8, 18):02d}:{prng.randrange(60):02d}:{prng.randrange(60):02d}"
                row[sub_col] = f"{_iso(new_o)} {tm}"
                extra.append((i, tuple(row)))
            for i, row in extra:
                if carry and prng.random() < 0.5:  # arrives with next month's batch
                    self.pending.setdefault((kind, city[i]), []).append(row)
                else:
                    by_group[names[int(keys[i])]].append(row)
        for g in sorted(by_group):
            self.sinks.write(kind, g, by_group[g])
        ch.extra["blanked"] = blanked

    def _flush_pending(self, kind: str, month: str) -> None:
        for c in range(len(CITIES)):
            rows = self.pending.pop((kind, c), None)
            if rows:
                self.sinks.write(kind, f"{month}_{CITIES[c][0]}", rows)

    # ---------------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        months = []
        o = self.start
        while o <= self.end:
            d = date.fromordinal(o)
            nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1).toordinal()
            b = min(nxt - 1, self.end)
            months.append((f"{d:%Y-%m}", o, b))
            o = nxt
        wdays = [max(1, int(((self.wd >= a) & (self.wd <= b)).sum())) for _, a, b in months]
        n_lic = int(round(self.records * SHARE_LICENSE))
        if self.records >= 2:  # both kinds, however small
            n_lic = min(max(1, n_lic), self.records - 1)
        n_pen = self.records - n_lic
        n_cl = max(MIN_CREDIT_LIST, int(round(self.records * SHARE_CREDIT_LIST)))
        n_cm = max(MIN_COMMITMENT, int(round(self.records * SHARE_COMMITMENT)))
        n_rp = max(MIN_REPAIR, int(round(self.records * SHARE_REPAIR)))
        lic_m, pen_m = _split(n_lic, wdays), _split(n_pen, wdays)
        cl_m, cm_m = _split(n_cl, wdays), _split(n_cm, wdays)
        rep_w = [w * max(0, self.end - (a + b) // 2 - 20) for w, (_, a, b) in zip(wdays, months)]
        if sum(rep_w) == 0:
            rep_w = wdays
        rp_pen_m = _split(n_rp - n_rp // 5, rep_w)
        rp_list_m = _split(n_rp // 5, rep_w)

        # registry: one snapshot per city
        rng = np.random.default_rng([self.seed, 0])
        prng = random.Random(self.seed * 7 + 1)
        for ci, lo in enumerate(range(0, self.world.n_entities, CHUNK_ROWS)):
            hi = min(lo + CHUNK_ROWS, self.world.n_entities)
            ch = self._registry_chunk(rng, lo, hi)
            self._rows("registry", ch, rng, prng, None)
        self.sinks.close("registry")

        carry = 0  # repairs not yet placed (too few candidates): offered to the next penalties
        for mi, (label, a, b) in enumerate(months):
            for ki, (kind, total) in enumerate((("license", lic_m[mi]), ("penalty", pen_m[mi]),
                                                ("credit_list", cl_m[mi]), ("commitment", cm_m[mi]))):
                self._flush_pending(kind, label)
                target = 0
                if kind == "penalty":
                    target, carry = rp_pen_m[mi] + carry, 0
                elif kind == "credit_list":
                    target = rp_list_m[mi]
                repairs: list[dict] = []
                for ci, size in enumerate(_chunks(total)):
                    rng = np.random.default_rng([self.seed, ki + 1, mi, ci])
                    prng = random.Random(int(rng.integers(1 << 62)))
                    want = target if ci == 0 else 0
                    if kind == "license":
                        ch = self._license_chunk(rng, size, a, b)
                    elif kind == "penalty":
                        ch = self._penalty_chunk(rng, size, a, b)
                    elif kind == "credit_list":
                        ch, reps = self._list_chunk(rng, size, a, b, want)
                        repairs.extend(reps)
                    else:
                        ch = self._commitment_chunk(rng, size, a, b)
                    self._rows(kind, ch, rng, prng, label)
                    if kind == "penalty":
                        repairs.extend(self._penalty_repairs(rng, ch, want, ch.extra["blanked"]))
                if kind in ("penalty", "credit_list"):
                    carry += max(0, target - len(repairs))
                if repairs:
                    rrng = np.random.default_rng([self.seed, 9, mi, ki])
                    rch = self._repair_chunk(rrng, repairs)
                    self._rows("repair", rch, rrng, random.Random(int(rrng.integers(1 << 62))), None)
                if mi == len(months) - 1:
                    self._flush_pending(kind, label)
                self.sinks.close(kind)
        self.sinks.close()
        return dict(self.sinks.counts)


_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$")


def _date_variant(s: str, prng: random.Random) -> str:
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


def _correct(kind: str, hdr: list[str], row: list[str], prng: random.Random) -> None:
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
            setc("罚款金额(万元)", _fmt_amount(round(prng.uniform(0.1, 5), 2)))
            setc("备注", "更正罚款金额")
        elif r < 0.6 and getc("记录状态") != "撤销":
            setc("记录状态", "撤销")
            setc("备注", "行政复议撤销原处罚决定")
        elif r < 0.8:
            setc("失信程度", prng.choice([x for x in ("轻微", "一般", "严重") if x != getc("失信程度")]))
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
    elif kind == "registry":
        if r < 0.5 and getc("登记状态") != "注销":
            setc("登记状态", "注销")
        else:
            setc("住所", getc("住所") + "（变更）")
    if row == before:  # make sure the content differs
        setc(hdr[-1], getc(hdr[-1]) + "（更正）")


def generate_extracts(out_dir: Path, records: int, seed: int = 20251001, *, messy: bool = True,
                      start: date = date(2025, 7, 1), end: date = date(2026, 3, 31)) -> dict[str, int]:
    """Write synthetic extracts for all six kinds under ``out_dir`` and return rows per kind.

    ``records`` is the number of 双公示 records (≈60 % licences, 40 % penalties); registry
    ≈ records/5 entities (≥ 50), credit_list ≈ 2 %, commitment ≈ 5 %, repair ≈ 1 % (each
    with a floor). Rows written include injected repeats and corrections. Files are
    ``<kind>/<yyyy-mm>_<city>_<part>.csv`` (registry: ``<city>_<part>.csv``), at most
    ROWS_PER_FILE rows each. Decision dates fall in [start, end]; 报送时间 is clamped to
    ``end`` (the extraction date). Same arguments, same bytes.
    """
    return _Generator(Path(out_dir), int(records), int(seed), messy, start, end).run()


# --------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------
_FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
_ISO_DT = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")


def write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               date_columns: Iterable[str] = (), sheet_title: str = "Sheet1",
               extra_sheets: dict[str, list[list[Any]]] | None = None) -> None:
    """Write an XLSX workbook: the header in row 1 of the first worksheet, then the rows.

    ``date``/``datetime`` values become real Excel date cells (yyyy-mm-dd, or with time);
    so do ISO strings in ``date_columns``. Other values are written as they are (strings
    stay text cells). ``extra_sheets`` adds further worksheets after the first. The file
    is byte-for-byte reproducible (fixed document properties and zip timestamps).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    date_idx = {i for i, h in enumerate(header) if h in set(date_columns)}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title)
    ws.append(list(header))
    for row in rows:
        cells = []
        for j, v in enumerate(row):
            if j in date_idx and isinstance(v, str) and _ISO_DT.match(v):
                v = datetime.fromisoformat(v) if " " in v else date.fromisoformat(v)
            if isinstance(v, (date, datetime)):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "yyyy-mm-dd hh:mm:ss" if isinstance(v, datetime) else "yyyy-mm-dd"
                cells.append(c)
            else:
                cells.append(v)
        ws.append(cells)
    for title, srows in (extra_sheets or {}).items():
        ws2 = wb.create_sheet(title)
        for r in srows:
            ws2.append(list(r))
    fixed = datetime(2025, 1, 1)
    wb.properties.creator = "creditwh"
    wb.properties.created = fixed
    wb.save(path)
    # reproducible bytes: fixed dcterms:modified and zip entry times
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2025-01-01T00:00:00Z\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
