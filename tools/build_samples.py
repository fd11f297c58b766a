#!/usr/bin/env python
"""Rebuild the bundled sample extracts in raw_samples/.

    .venv/bin/python tools/build_samples.py

1. ``generate_extracts`` writes a small messy population (SEED, RECORDS) for all seven kinds.
2. Hand-made files are added that show every case of the input contract
   (shared/domain/extracts.md) deterministically; tools/raw_samples.md lists them.

Everything under the kind folders (and unknown_kind/) is deleted first. Nothing but extracts
lives in raw_samples/: every file there is landed. Same code, same bytes.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
HERE = TOOLS.parent / "raw_samples"  # what is rebuilt
sys.path[:0] = [str(TOOLS.parent / "orchestration"), str(TOOLS)]

from creditgen import DEPT_BY_KEY, KINDS, REGIONS, World, generate_extracts, write_xlsx  # noqa: E402
from creditwh import codes  # noqa: E402
from creditwh.landing.contract import load_contract  # noqa: E402

SEED = 20251001
RECORDS = 1500
CONTRACT = load_contract()
HEADER = {k: CONTRACT[k].column_names for k in KINDS}
D = DEPT_BY_KEY
WORLD = World(RECORDS, SEED)


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)  # RFC 4180 quoting, CRLF
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_csv(rel: str, kind: str, rows: list[dict], *, encoding: str = "utf-8",
              header: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """Rows keyed by canonical column names; ``header`` maps canonical -> written name."""
    cols = [c for c in HEADER[kind] if c not in drop]
    names = [(header or {}).get(c, c) for c in cols]
    text = csv_text(names, [[r.get(c, "") for c in cols] for r in rows])
    path = HERE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def dept(key: str) -> dict[str, str]:
    return {"数据来源单位": D[key].name, "数据来源单位统一社会信用代码": D[key].uscc}


def find_entity(region: str, subject_class: str = "法人及非法人组织", entity_type: str | None = "企业",
                skip: int = 0, old_style: bool | None = None) -> dict:
    """The (skip+1)-th registered entity with the wanted class/type: first in the region,
    then in the other regions of the same city."""
    order = [i for i, reg in enumerate(REGIONS) if reg[0] == region]
    order += [i for i, reg in enumerate(REGIONS) if reg[0][:4] == region[:4] and reg[0] != region]
    found = 0
    for r in order:
        for i in range(r, WORLD.n_entities, len(REGIONS)):
            e = WORLD.entity(i)
            if e["subject_class"] != subject_class or (entity_type and e["entity_type"] != entity_type):
                continue
            if old_style is not None and bool(e["old_style"]) != old_style:
                continue
            if found == skip:
                return e
            found += 1
    raise LookupError(f"no entity for {region} {subject_class} {entity_type}")


def org(e: dict) -> dict[str, str]:
    return {"行政相对人名称": e["name"], "行政相对人类别": e["subject_class"], "统一社会信用代码": e["uscc"],
            "法定代表人": e["rep_name"], "法定代表人证件类型": "身份证", "法定代表人证件号码": e["rep_ric"]}


def person(p: int) -> dict[str, str]:
    x = WORLD.person(p)
    return {"行政相对人名称": x["name"], "行政相对人类别": "自然人", "证件类型": "身份证", "证件号码": x["ric"]}


def penalty(dkey: str, docno: str, decided: str, submitted: str, subject: dict, *, cats: str = "罚款",
            fine: str = "0.5", content: str | None = None, **extra: str) -> dict:
    d = D[dkey]
    row = {**dept(dkey), "报送时间": submitted, **subject, "行政处罚决定书文号": docno,
           "违法行为类型": "经营超过保质期的食品", "违法事实": "当事人经营超过保质期的食品",
           "处罚依据": "《中华人民共和国食品安全法》第一百二十四条第一款第（二）项", "处罚类别": cats,
           "处罚内容": content or _content(cats, fine),
           "罚款金额(万元)": fine if "罚款" in cats else "", "处罚决定日期": decided,
           "处罚机关": d.name, "处罚机关统一社会信用代码": d.uscc, "记录状态": "正常"}
    row.update(extra)
    return row


def _content(cats: str, fine: str) -> str:
    try:
        return f"罚款人民币{float(fine) * 10000:,.0f}元" if "罚款" in cats else cats
    except ValueError:
        return f"罚款{fine}" if fine else "罚款"


def license_(dkey: str, docno: str, decided: str, submitted: str, subject: dict, *, valid_to: str = "2030-12-31",
             **extra: str) -> dict:
    d = D[dkey]
    row = {**dept(dkey), "报送时间": submitted, **subject, "行政许可决定文书名称": "食品经营许可决定书",
           "行政许可决定文书号": docno, "许可类别": "普通", "许可证书名称": "食品经营许可证",
           "许可编号": f"JY1{d.region}9{docno[-6:-1].zfill(6)}", "许可内容": "预包装食品销售；热食类食品制售",
           "许可决定日期": decided, "有效期自": decided, "有效期至": valid_to,
           "许可机关": d.name, "许可机关统一社会信用代码": d.uscc, "当前状态": "有效"}
    row.update(extra)
    return row


def outside_uscc(region: str, body: str, authority: str = "9", category: str = "1") -> str:
    """A valid code of an organisation that is not in the registry."""
    return codes.make_uscc(authority, category, region, body)


# --------------------------------------------------------------------------------------
# hand-made files
# --------------------------------------------------------------------------------------
def build_hand_made() -> list[str]:
    made: list[str] = []

    def add(path: Path) -> None:
        made.append(str(path.relative_to(HERE)))

    jn1 = find_entity("370102")
    jn2 = find_entity("370112")
    jn3 = find_entity("370103", skip=1)
    jn_shop = find_entity("370102", "个体工商户", "个体工商户")
    zb1 = find_entity("370303")
    zb2 = find_entity("370302")
    zb_old = find_entity("370303", old_style=True)
    zb_old2 = find_entity("370305", old_style=True)
    zz1 = find_entity("370403")
    zz2 = find_entity("370402")
    zz3 = find_entity("370481")

    # 1. GB18030 file of 济南市市场监督管理局, full-width （万元） in the header; a name with
    #    𠮷 (U+20BB7), which GB18030 encodes in four bytes and GBK cannot encode at all
    yoshi = {"行政相对人名称": "济南𠮷野家餐饮管理有限公司", "行政相对人类别": "法人及非法人组织",
             "统一社会信用代码": outside_uscc("370102", "MA3C8K2Q"), "法定代表人": "𠮷田健一"}
    add(write_csv("penalty/2025-10_jinan_scjgj_gbk.csv", "penalty", [
        penalty("jinan_scjgj", "济市监罚〔2025〕9001号", "2025-10-09", "2025-10-13 09:12:40", org(jn1), fine="1.2"),
        penalty("jinan_scjgj", "济市监罚〔2025〕9002号", "2025-10-10", "2025-10-16 15:03:11", yoshi,
                cats="警告;罚款", fine="0.3", 违法行为类型="未明码标价", 违法事实="当事人经营的商品未按规定明码标价",
                处罚依据="《明码标价和禁止价格欺诈规定》第二十一条"),
        penalty("jinan_scjgj", "济市监罚〔2025〕9003号", "2025-10-15", "2025-10-28 10:40:00", org(jn2), fine="3"),
    ], encoding="gb18030", header={"罚款金额(万元)": "罚款金额（万元）",
                                   "没收违法所得、没收非法财物的金额(万元)": "没收违法所得、没收非法财物的金额（万元）"}))

    # 2. XLSX: real Excel date cells and text dates, a second sheet that must be ignored
    d = D["zibo_xzspj"]
    hdr = HEADER["license"]
    xrows = []
    for n, (dec, sub, vto) in enumerate([
        (date(2025, 9, 1), datetime(2025, 9, 3, 10, 15, 0), date(2030, 8, 31)),
        (date(2025, 9, 2), datetime(2025, 9, 2, 17, 45, 30), "长期"),
        ("2025/9/3", "2025/9/12 09:30", "2030/9/2"),
        ("2025年9月5日", "2025-09-19 16:00:00", "9999-12-31"),
        (date(2025, 9, 8), "2025.09.10", date(2029, 9, 7)),
    ], start=1):
        e = find_entity("370303", skip=n)
        r = license_("zibo_xzspj", f"淄审批许字〔2025〕{900 + n}号", "", "", org(e), valid_to="")
        r.update({"许可决定日期": dec, "有效期自": dec, "有效期至": vto, "报送时间": sub,
                  "行政许可决定文书名称": "公共场所卫生许可决定书", "许可证书名称": "卫生许可证",
                  "许可编号": f"鲁卫公证字〔2025〕第370303-{900 + n:06d}号", "许可内容": "住宿场所",
                  "许可机关": d.name, "许可机关统一社会信用代码": d.uscc})
        xrows.append([r.get(c, "") for c in hdr])
    p = HERE / "license/2025-09_zibo_xlsx_dates.xlsx"
    write_xlsx(p, hdr, xrows, extra_sheets={"填报说明": [["说明"], ["第一个工作表为数据，本页不导入"]]})
    add(p)

    # 3. RFC 4180: multi-line cells (LF and CRLF), doubled quotes, commas
    add(write_csv("penalty/2025-10_zaozhuang_multiline.csv", "penalty", [
        penalty("zaozhuang_sthjj", "枣环罚字〔2025〕第901号", "2025-10-09", "2025-10-15 11:20:00", org(zz1),
                fine="25", 违法行为类型="超标排放大气污染物",
                违法事实="经查，当事人排放的颗粒物浓度超过国家排放标准：\n1. 9月12日超标1.3倍；\n2. 9月20日超标0.8倍。",
                处罚依据="《中华人民共和国大气污染防治法》第九十九条第（二）项",
                处罚内容="罚款人民币250,000元，责令改正", 备注='当事人称"设备故障"，已提交整改报告'),
        penalty("zaozhuang_sthjj", "枣环罚字〔2025〕第902号", "2025-10-10", "2025-10-16 09:05:12", org(zz2),
                fine="3.5", 违法行为类型="未按规定设置危险废物识别标志",
                违法事实="危险废物贮存场所未设置识别标志,\r\n现场检查笔录2份,照片6张",
                处罚依据="《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款第（一）项",
                备注='"首次违法"'),
        penalty("zaozhuang_sthjj", "枣环罚字〔2025〕第903号", "2025-10-13", "2025-10-17 14:30:00", org(zz3),
                fine="1", 违法行为类型="未批先建", 违法事实="建设项目环境影响评价文件未经批准擅自开工建设",
                处罚依据="《中华人民共和国环境影响评价法》第三十一条第一款"),
    ]))

    # 4. the same bytes twice: the later path is the duplicate
    batch = write_csv("penalty/2025-11_jinan_batch.csv", "penalty", [
        penalty("lixia_scjgj", "济历下市监罚〔2025〕9101号", "2025-11-03", "2025-11-05 10:00:00", org(jn1), fine="0.8"),
        penalty("lixia_scjgj", "济历下市监罚〔2025〕9102号", "2025-11-04", "2025-11-07 16:20:00", org(jn_shop),
                cats="警告", 违法行为类型="未明码标价", 违法事实="当事人经营的商品未按规定明码标价",
                处罚依据="《明码标价和禁止价格欺诈规定》第二十一条"),
    ])
    add(batch)
    dup = HERE / "penalty/2025-11_jinan_duplicate_copy.csv"
    dup.write_bytes(batch.read_bytes())
    add(dup)

    # 5. a file without the required column 许可决定日期: rejected whole
    add(write_csv("license/2025-12_zibo_missing_required_column.csv", "license", [
        license_("zibo_xzspj", "淄审批许字〔2025〕951号", "2025-12-01", "2025-12-03 10:00:00", org(zb1)),
        license_("zibo_xzspj", "淄审批许字〔2025〕952号", "2025-12-02", "2025-12-04 10:00:00", org(zb2)),
    ], drop=("许可决定日期",)))

    # 6. bytes that decode in neither UTF-8 nor GB18030 (0x80 and 0xFF are invalid in both)
    good = csv_text(HEADER["penalty"], [[penalty("zibo_scjgj", "淄市监罚〔2025〕9201号", "2025-12-01",
                                                 "2025-12-02 10:00:00", org(zb1)).get(c, "") for c in HEADER["penalty"]]])
    raw = good.encode("utf-8").replace("当事人经营".encode("utf-8"), b"\xb5\xb1\x80\xff\xca\xc2", 1)
    p = HERE / "penalty/2025-12_undecodable.csv"
    p.write_bytes(raw)
    add(p)

    # 7. unknown folder, 8. wrong file type
    p = HERE / "unknown_kind/notes.csv"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(csv_text(["备注", "日期"], [["这是一份不属于任何数据类别的文件", "2025-10-01"]]).encode("utf-8"))
    add(p)
    p = HERE / "license/readme.txt"
    p.write_bytes("济南市行政审批服务局 2025年9月 行政许可数据报送说明：数据见同目录 CSV 文件。\n".encode("utf-8"))
    add(p)

    # 9. rejected rows: empty identity, too many / too few fields; good rows around them
    hdr = HEADER["penalty"]

    def line(r: dict) -> list[str]:
        return [r.get(c, "") for c in hdr]

    rows = [
        line(penalty("zhangdian_scjgj", "张市监罚〔2025〕9301号", "2025-11-03", "2025-11-06 09:00:00", org(zb1))),
        line(penalty("zhangdian_scjgj", "", "2025-11-04", "2025-11-06 09:10:00", org(zb2))),          # empty 文书号
        line(penalty("zhangdian_scjgj", "无", "2025-11-04", "2025-11-06 09:20:00", org(zb1))),        # 无 = empty
        line(penalty("zhangdian_scjgj", "张市监罚〔2025〕9302号", "2025-11-05", "2025-11-06 09:30:00", org(zb2)))
        + ["多出的一列"],                                                                              # too many
        line(penalty("zhangdian_scjgj", "张市监罚〔2025〕9303号", "2025-11-05", "2025-11-06 09:40:00", org(zb1)))[:12],
        line(penalty("zhangdian_scjgj", "张市监罚〔2025〕9304号", "2025-11-05", "2025-11-06 09:50:00", org(zb2),
                     数据来源单位统一社会信用代码="")),                                                 # identity part empty
        line(penalty("zhangdian_scjgj", "张市监罚〔2025〕9305号", "2025-11-06", "2025-11-07 10:00:00", org(zb1))),
    ]
    p = HERE / "penalty/2025-11_zibo_rejected_rows.csv"
    p.write_bytes(csv_text(hdr, rows).encode("utf-8"))
    add(p)

    # 10. National Day 2025 (1-8 Oct off; Sun 28 Sep and Sat 11 Oct worked)
    add(write_csv("penalty/2025-10_jinan_national_day.csv", "penalty", [
        penalty("jinan_yjglj", "济应急罚〔2025〕9401号", "2025-09-26", "2025-10-10 10:00:00", org(jn1), fine="2",
                备注="decided Fri 26 Sep, submitted 10 Oct: 5 working days, on time"),
        penalty("jinan_yjglj", "济应急罚〔2025〕9402号", "2025-09-26", "2025-10-13 10:00:00", org(jn2), fine="2",
                备注="submitted 13 Oct: 7 working days (11 Oct counts), on time"),
        penalty("jinan_yjglj", "济应急罚〔2025〕9403号", "2025-09-26", "2025-10-14 10:00:00", org(jn3), fine="2",
                备注="submitted 14 Oct: 8 working days, late"),
        penalty("jinan_yjglj", "济应急罚〔2025〕9404号", "2025-10-03", "2025-10-09 08:30:00", org(jn1), fine="5",
                备注="decided on a holiday (3 Oct), submitted 9 Oct: 1 working day"),
    ]))

    # 11. 2026-01-04 (Sunday) is a make-up working day
    add(write_csv("license/2026-01_jinan_makeup_sunday.csv", "license", [
        license_("jinan_xzspj", "济审批许字〔2025〕9501号", "2025-12-22", "2026-01-04 11:00:00", org(jn1),
                 备注="Mon 22 Dec -> Sun 4 Jan (make-up day): 8 working days, late"),
        license_("jinan_xzspj", "济审批许字〔2025〕9502号", "2025-12-24", "2026-01-04 15:30:00", org(jn2),
                 备注="Wed 24 Dec -> Sun 4 Jan: 6 working days, on time"),
        license_("jinan_xzspj", "济审批许字〔2025〕9503号", "2025-12-23", "2026-01-05 09:00:00", org(jn3),
                 备注="Tue 23 Dec -> Mon 5 Jan: 8 working days, late (7 if 4 Jan were not counted)"),
    ]))

    # 12. Spring Festival 2026 (15-23 Feb off; Sat 14 Feb and Sat 28 Feb worked)
    add(write_csv("penalty/2026-02_zaozhuang_spring_festival.csv", "penalty", [
        penalty("zaozhuang_scjgj", "枣市监罚〔2026〕9601号", "2026-02-11", "2026-02-26 10:00:00", org(zz1),
                备注="6 working days, on time (a Mon-Fri count would say 11)"),
        penalty("zaozhuang_scjgj", "枣市监罚〔2026〕9602号", "2026-02-11", "2026-02-27 10:00:00", org(zz2),
                备注="7 working days, on time"),
        penalty("zaozhuang_scjgj", "枣市监罚〔2026〕9603号", "2026-02-11", "2026-02-28 10:00:00", org(zz3),
                备注="submitted on make-up Saturday 28 Feb: 8 working days, late"),
        penalty("zaozhuang_scjgj", "枣市监罚〔2026〕9604号", "2026-02-11", "2026-03-02 10:00:00", org(zz1),
                备注="9 working days, late"),
    ]))

    # 13. header variants, UTF-8 with BOM
    add(write_csv("penalty/2025-09_zibo_header_aliases_bom.csv", "penalty", [
        penalty("zibo_sthjj", "淄环罚字〔2025〕第56号", "2025-09-08", "2025-09-10 10:20:00", org(zb1), fine="12",
                违法行为类型="超标排放大气污染物", 违法事实="自动监测数据显示氮氧化物排放浓度超标",
                处罚依据="《中华人民共和国大气污染防治法》第九十九条第（二）项"),
        penalty("zibo_sthjj", "淄环罚字〔2025〕第57号", "2025-09-09", "2025-09-12 15:00:00", org(zb2), fine="3",
                违法行为类型="未批先建", 违法事实="建设项目环境影响评价文件未经批准擅自开工建设",
                处罚依据="《中华人民共和国环境影响评价法》第三十一条第一款"),
    ], encoding="utf-8-sig", header={
        "行政处罚决定书文号": "处罚决定书文号", "统一社会信用代码": "行政相对人代码_1（统一社会信用代码）",
        "组织机构代码": "行政相对人代码_3(组织机构代码)", "罚款金额(万元)": " 罚款金额（万元） ",
        "数据来源单位": "  数据来源单位", "报送时间": "报送时间\u3000"}))

    # 14. date formats, open-ended validity, unparseable dates, submission before decision
    dd = [("2025-08-04", "2025-08-06 10:00:00", "2030-08-03"),
          ("2025/8/5", "2025/8/7 14:22", "长期"),
          ("2025.08.06", "2025.08.08 14:22:10", "9999-12-31"),
          ("20250807", "20250811", "20300806"),
          ("2025年8月8日", "2025年8月12日 09:30", "2030年8月7日"),
          ("2025-08-11 10:30", "2025-08-13 16:05:00", "2030-08-10"),
          ("2025-13-45", "2025-08-14 10:00:00", "2030-08-10"),     # unparseable decision date
          ("2025-08-12", "下月", "2030-08-11"),                    # unparseable submission
          ("2025-08-20", "2025-08-18 10:00:00", "2030-08-19")]     # submitted before decided
    add(write_csv("license/2025-08_jinan_date_formats.csv", "license", [
        license_("licheng_xzspj", f"济历城审批许字〔2025〕{9700 + n}号", dec, sub,
                 org(find_entity("370112", skip=n)), valid_to=vto)
        for n, (dec, sub, vto) in enumerate(dd, start=1)]))

    # 15. normalisation: full-width, lower case, spaces, empty markers
    fw = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
    add(write_csv("penalty/2025-09_jinan_code_normalisation.csv", "penalty", [
        penalty("jn_shizhong_scjgj", "济市中市监罚〔２０２５〕９８０１号", "２０２５-０９-０１", "2025-09-03 10:00:00",
                {**org(jn3), "统一社会信用代码": jn3["uscc"].translate(fw)}, 失信程度="无", 备注="/"),
        penalty("jn_shizhong_scjgj", "济市中市监罚〔2025〕9802号", "2025-09-02", "2025-09-04 10:00:00",
                {**org(jn2), "统一社会信用代码": jn2["uscc"].lower()}, 失信程度="-", 备注="NULL"),
        penalty("jn_shizhong_scjgj", " 济市中市监罚〔2025〕9803号 ", "2025-09-03", " 2025-09-05 10:00:00 ",
                {**org(jn1), "统一社会信用代码": "\u3000" + jn1["uscc"] + "  ", "行政相对人名称": " " + jn1["name"]},
                **{"数据来源单位统一社会信用代码": D["jn_shizhong_scjgj"].uscc.lower(),
                   "处罚机关统一社会信用代码": " " + D["jn_shizhong_scjgj"].uscc}),
    ]))

    # 16. invalid identifiers
    bad_check = jn1["uscc"][:17] + codes.USCC_ALPHABET[(codes.USCC_ALPHABET.index(jn1["uscc"][17]) + 1) % 31]
    body = jn2["uscc"][8:16]
    wrong_org = "1" if jn2["uscc"][16] != "1" else "2"
    bad_org = jn2["uscc"][:16] + wrong_org
    bad_org += codes.uscc_check_char(bad_org)       # check char right, embedded org code wrong
    assert codes.uscc_check_char(bad_org[:17]) == bad_org[17] and not codes.is_valid_uscc(bad_org)
    assert body == bad_org[8:16]
    p1, p2 = WORLD.person(5), WORLD.person(22)
    ric_bad_check = p1["ric"][:17] + ("0" if p1["ric"][17] != "0" else "1")
    feb30 = p2["ric"][:6] + "19990230" + p2["ric"][14:17]
    feb30 += codes.ric_check_char(feb30)              # check digit right, birth date impossible
    add(write_csv("penalty/2025-10_zibo_invalid_codes.csv", "penalty", [
        penalty("zibo_scjgj", "淄市监罚〔2025〕9901号", "2025-10-09", "2025-10-10 10:00:00",
                {**org(zb1), "统一社会信用代码": bad_check}, 备注="wrong USCC check character"),
        penalty("zibo_scjgj", "淄市监罚〔2025〕9902号", "2025-10-09", "2025-10-10 10:00:00",
                {**org(zb2), "统一社会信用代码": bad_org}, 备注="USCC check right, embedded org code wrong"),
        penalty("zibo_scjgj", "淄市监罚〔2025〕9903号", "2025-10-09", "2025-10-10 10:00:00",
                {**org(zb1), "统一社会信用代码": "91370303MA3CIO5S7V"}, 备注="letters I O S V not in the alphabet"),
        penalty("zibo_scjgj", "淄市监罚〔2025〕9904号", "2025-10-09", "2025-10-10 10:00:00",
                {**org(zb2), "统一社会信用代码": zb2["uscc"][:17]}, 备注="17 characters"),
        penalty("zibo_scjgj", "淄市监罚〔2025〕9905号", "2025-10-10", "2025-10-13 10:00:00",
                {**person(5), "证件号码": ric_bad_check}, 备注="identity number with a wrong check digit"),
        penalty("zibo_scjgj", "淄市监罚〔2025〕9906号", "2025-10-10", "2025-10-13 10:00:00",
                {**person(22), "证件号码": feb30}, 备注="identity number born 1999-02-30"),
        penalty("zibo_scjgj", "淄市监罚〔2025〕9907号", "2025-10-10", "2025-10-13 10:00:00",
                {**org(zb1), "法定代表人证件号码": ric_bad_check}, 备注="legal representative's number invalid"),
    ]))

    # 17/18. legacy codes: registry rows sharing one embedded organisation code (迁出 and 存续)
    amb_body = "MA3F2Y7K"
    amb1 = codes.make_uscc("9", "1", "370302", amb_body)
    amb2 = codes.make_uscc("9", "1", "370303", amb_body)
    zsrc = dept("zibo_scjgj")
    reg_rows = [
        {**zsrc, "报送时间": "2025-07-02 09:00:00", "统一社会信用代码": amb1, "主体名称": "淄博博远陶瓷有限公司",
         "主体类型": "企业", "法定代表人": "孙立新", "成立日期": "2016-05-10", "登记状态": "迁出",
         "组织机构代码": amb1[8:17], "住所": "淄博市淄川区柳泉路88号", "登记机关": "淄博市淄川区市场监督管理局"},
        {**zsrc, "报送时间": "2025-07-02 09:00:00", "统一社会信用代码": amb2, "主体名称": "淄博博远陶瓷有限公司",
         "主体类型": "企业", "法定代表人": "孙立新", "成立日期": "2025-06-20", "登记状态": "存续",
         "组织机构代码": amb2[8:17], "住所": "淄博市张店区中润大道166号", "登记机关": "淄博市张店区市场监督管理局"},
        # a correction of a generated registry row: later 报送时间, 登记状态 注销
        {**zsrc, "报送时间": "2026-03-31 23:59:59", "统一社会信用代码": zb_old2["uscc"], "主体名称": zb_old2["name"],
         "主体类型": zb_old2["entity_type"], "法定代表人": zb_old2["rep_name"], "法定代表人证件类型": "身份证",
         "法定代表人证件号码": zb_old2["rep_ric"], "成立日期": date.fromordinal(zb_old2["est_ord"]).isoformat(),
         "登记状态": "注销", "注册号": zb_old2["regno"], "组织机构代码": zb_old2["org_code"],
         "住所": zb_old2["address"], "登记机关": zb_old2["registrar"]},
    ]
    add(write_csv("registry/2025-07_zibo_legacy_ambiguous.csv", "registry", reg_rows))

    def legacy(e: dict | None, **codes_: str) -> dict:
        base = org(e) if e else {"行政相对人名称": "淄博博远陶瓷有限公司", "行政相对人类别": "法人及非法人组织",
                                 "法定代表人": "孙立新"}
        return {**base, "统一社会信用代码": "", **codes_}

    add(write_csv("penalty/2025-11_zibo_legacy_codes.csv", "penalty", [
        penalty("zibo_sthjj", "淄环罚字〔2025〕第9101号", "2025-11-10", "2025-11-12 10:00:00",
                legacy(zb_old, 组织机构代码=zb_old["org_code"]), fine="5",
                备注="组织机构代码 = USCC 9-17 of one registry entity: keyed to it"),
        penalty("zibo_sthjj", "淄环罚字〔2025〕第9102号", "2025-11-10", "2025-11-12 10:00:00",
                legacy(zb_old2, 税务登记号=zb_old2["uscc"][2:17]), fine="5",
                备注="税务登记号 = region + organisation code of one registry entity"),
        penalty("zibo_sthjj", "淄环罚字〔2025〕第9103号", "2025-11-11", "2025-11-13 10:00:00",
                legacy(None, 组织机构代码=amb1[8:17]), fine="5",
                备注="matches two registry entities: not keyed"),
        penalty("zibo_sthjj", "淄环罚字〔2025〕第9104号", "2025-11-11", "2025-11-13 10:00:00",
                legacy(zb1, 组织机构代码="12345678X"), fine="5", 备注="matches no registry entity"),
    ]))

    # 19. repeats and corrections across files
    orig = [
        penalty("xuecheng_scjgj", "薛市监罚〔2025〕9201号", "2025-11-03", "2025-11-05 10:00:00", org(zz1), fine="1"),
        penalty("xuecheng_scjgj", "薛市监罚〔2025〕9202号", "2025-11-03", "2025-11-17 10:00:00", org(zz2), fine="1"),
        penalty("xuecheng_scjgj", "薛市监罚〔2025〕9203号", "2025-11-04", "2025-11-06 10:00:00", org(zz3), fine="2"),
    ]
    add(write_csv("penalty/2025-11_zaozhuang_batch.csv", "penalty", orig))
    corr2 = dict(orig[1], **{"报送时间": "2025-12-01 09:00:00", "罚款金额(万元)": "1.5",
                             "处罚内容": "罚款人民币15,000元", "备注": "更正罚款金额"})
    corr3 = dict(orig[2], **{"报送时间": "2025-11-05 08:00:00", "罚款金额(万元)": "0.2",
                             "处罚内容": "罚款人民币2,000元", "备注": "earlier 报送时间 than the original"})
    add(write_csv("penalty/2025-12_zaozhuang_corrections.csv", "penalty", [dict(orig[0]), corr2, corr3]))

    # 20. subject types and completeness
    no_rep = {**org(zz2), "法定代表人": "", "法定代表人证件类型": "", "法定代表人证件号码": ""}
    shop = find_entity("370402", "个体工商户", "个体工商户")
    add(write_csv("penalty/2025-09_zaozhuang_natural_persons.csv", "penalty", [
        penalty("zaozhuang_jtysj", "枣交罚〔2025〕9301号", "2025-09-15", "2025-09-17 10:00:00", person(12),
                fine="0.2", 违法行为类型="车辆违法超限运输", 违法事实="当事人驾驶车辆违法超限运输",
                处罚依据="《公路安全保护条例》第六十六条"),
        penalty("zaozhuang_jtysj", "枣交罚〔2025〕9302号", "2025-09-15", "2025-09-17 10:00:00",
                {**person(29), "证件号码": ""}, fine="0.2", 违法行为类型="车辆违法超限运输",
                违法事实="当事人驾驶车辆违法超限运输", 处罚依据="《公路安全保护条例》第六十六条",
                备注="自然人 without 证件号码: incomplete"),
        penalty("zaozhuang_jtysj", "枣交罚〔2025〕9303号", "2025-09-16", "2025-09-18 10:00:00",
                {**org(shop), "法定代表人": "", "法定代表人证件类型": "", "法定代表人证件号码": ""}, fine="0.1",
                违法行为类型="车辆违法超限运输", 违法事实="货车车货总重超过限定标准",
                处罚依据="《公路安全保护条例》第六十六条", 备注="个体工商户 without 法定代表人: complete"),
        penalty("zaozhuang_jtysj", "枣交罚〔2025〕9304号", "2025-09-16", "2025-09-18 10:00:00", no_rep, fine="1",
                违法行为类型="车辆违法超限运输", 违法事实="货车车货总重超过限定标准",
                处罚依据="《公路安全保护条例》第六十六条", 备注="法人 without 法定代表人: incomplete"),
    ]))

    # 21. penalty categories, separators, severity, revocation, amounts
    def cat_row(n: int, cats: str, **kw: str) -> dict:
        return penalty("licheng_scjgj", f"济历城市监罚〔2025〕{9400 + n}号", "2025-08-05", "2025-08-07 10:00:00",
                       org(find_entity("370112", skip=n)), cats=cats, **kw)

    add(write_csv("penalty/2025-08_jinan_categories_severity.csv", "penalty", [
        cat_row(1, "警告", 备注="only 警告: derived 轻微, not published"),
        cat_row(2, "警告；通报批评", 备注="轻微; full-width semicolon"),
        cat_row(3, "罚款、没收违法所得", fine="2", **{"没收违法所得、没收非法财物的金额(万元)": "0.35"},
                备注="一般; 、 separator"),
        cat_row(4, "吊销许可证件,罚款", fine="10", 暂扣或吊销证照名称及编号="食品经营许可证（JY13701129400004）",
                备注="吊销许可证件: derived 严重; comma separator"),
        cat_row(5, "罚款", fine="1", 失信程度="严重", 备注="given 失信程度 wins over derived 一般"),
        cat_row(6, "罚款", fine="1", 记录状态="撤销", 备注="revoked decision"),
        cat_row(7, "其他-责令改正", 备注="其他-… is in the list"),
        cat_row(8, "责令改正", 备注="not in the code list: non-compliant"),
        cat_row(9, "罚款", fine="", 备注="罚款 without 罚款金额: incomplete"),
        cat_row(10, "罚款", fine="-0.5", 备注="negative amount: non-compliant"),
        cat_row(11, "罚款", fine="5000元", 备注="amount not a number: non-compliant"),
        cat_row(12, "罚款", fine="1", 备注="一般, repaired in repair/2026-02_jinan_repairs.csv"),
        cat_row(13, "罚款", fine="1", 备注="一般, repair refused"),
    ]))

    # 22. credit lists
    z_env = D["zibo_sthjj"]
    z_court = D["zibo_zy"]

    def lst(dk: str, docno: str, typ: str, listed: str, submitted: str, subj: dict, **kw: str) -> dict:
        d_ = D[dk]
        row = {**dept(dk), "报送时间": submitted, "名单类型": typ, "列入决定文书号": docno,
               "列入事由": "超标排放污染物受到较重行政处罚", "认定依据": "《山东省企业环境信用评价办法》第十五条",
               "认定部门": d_.name, "认定部门统一社会信用代码": d_.uscc, "列入日期": listed,
               "主体名称": subj["行政相对人名称"], "主体类别": subj["行政相对人类别"],
               "统一社会信用代码": subj.get("统一社会信用代码", ""), "证件类型": subj.get("证件类型", ""),
               "证件号码": subj.get("证件号码", "")}
        row.update(kw)
        return row

    add(write_csv("credit_list/2025-10_zibo_lists.csv", "credit_list", [
        lst("zibo_sthjj", "淄环信〔2025〕1号", "严重失信主体名单", "2025-10-09", "2025-10-13 10:00:00", org(zb1),
            有效期至="2028-10-08", 法定代表人=zb1["rep_name"], 法定代表人证件类型="身份证",
            法定代表人证件号码=zb1["rep_ric"]),
        lst("zibo_sthjj", "淄环信〔2025〕2号", "严重失信主体名单", "2025-10-10", "2025-10-24 10:00:00", org(zb2),
            有效期至="长期"),
        lst("zibo_sthjj", "淄环信〔2025〕3号", "重点关注名单", "2025-10-10", "2025-10-14 10:00:00", org(zb_old),
            有效期至="2026-01-31"),
        lst("zibo_sthjj", "淄环信〔2025〕4号", "守信激励名单", "2025-10-15", "2025-10-16 10:00:00", org(zb2),
            列入事由="环境信用评价为环保诚信企业", 有效期至="2027-10-14"),
        lst("zibo_sthjj", "淄环信〔2025〕5号", "重点关注名单", "2025-10-15", "2025-10-17 10:00:00", org(zb1),
            移出日期="2025-12-20", 移出原因="整改完成"),
        lst("zibo_zy", "（2025）鲁03执9001号", "严重失信主体名单", "2025-10-20", "2025-10-22 10:00:00", person(41),
            列入事由="有履行能力而拒不履行生效法律文书确定义务",
            认定依据="《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条"),
        lst("zibo_sthjj", "淄环信〔2026〕1号", "严重失信主体名单", "2026-03-30", "2026-03-31 09:00:00", org(zb_old)),
    ]))
    assert z_env and z_court

    # 23. commitments
    jsp = D["jinan_xzspj"]

    def cm(n: int, typ: str, item: str, day: str, sub: str, subj: dict, status: str = "履约中", breach: str = "") -> dict:
        return {**dept("jinan_xzspj"), "报送时间": sub, "承诺主体名称": subj["行政相对人名称"],
                "主体类别": subj["行政相对人类别"], "统一社会信用代码": subj.get("统一社会信用代码", ""),
                "证件类型": subj.get("证件类型", ""), "证件号码": subj.get("证件号码", ""), "承诺类型": typ,
                "承诺事项": item, "承诺日期": day, "承诺受理单位": jsp.name, "承诺受理单位统一社会信用代码": jsp.uscc,
                "履约状态": status, "违诺认定日期": breach}

    add(write_csv("commitment/2025-11_jinan_breach.csv", "commitment", [
        cm(1, "审批告知承诺", "食品经营许可告知承诺", "2025-08-04", "2025-11-12 10:00:00", org(jn1), "违诺", "2025-11-03"),
        cm(2, "审批告知承诺", "公共场所卫生许可告知承诺", "2025-08-05", "2025-11-20 10:00:00", org(jn2), "违诺",
           "2025-11-10"),
        cm(3, "审批告知承诺", "建筑工程施工许可告知承诺", "2025-08-06", "2025-11-12 10:00:00", org(jn3), "违诺", ""),
        cm(4, "证明事项告知承诺", "无犯罪记录证明告知承诺", "2025-11-03", "2025-11-05 10:00:00", person(3)),
        cm(5, "主动公示承诺", "市场主体主动信用承诺", "2025-11-04", "2025-11-05 10:00:00", org(jn1), "已履约"),
        cm(6, "信用修复承诺", "行政处罚信用修复承诺", "2025-11-04", "2025-11-06 10:00:00", org(jn2)),
        cm(7, "行业自律承诺", "餐饮行业自律承诺", "2025-11-05", "2025-11-06 10:00:00", org(jn_shop)),
    ]))

    # 24. repairs referring to the hand-made penalties and designations
    fg = D["jinan_fgw"]
    lc = D["licheng_scjgj"]

    def rp(typ: str, subj: dict, docno: str, auth: str, applied: str, decided: str, result: str, sub: str,
           fixer: str = "jinan_fgw") -> dict:
        return {**dept(fixer), "报送时间": sub, "修复类型": typ, "主体名称": subj["行政相对人名称"],
                "统一社会信用代码": subj["统一社会信用代码"], "关联文书号": docno, "关联机关统一社会信用代码": auth,
                "修复申请日期": applied, "修复决定日期": decided, "修复结果": result, "修复机构": D[fixer].name}

    e12, e13, e4 = (org(find_entity("370112", skip=n)) for n in (12, 13, 4))
    add(write_csv("repair/2026-02_jinan_repairs.csv", "repair", [
        rp("终止公示行政处罚信息", e12, "济历城市监罚〔2025〕9412号", lc.uscc, "2026-01-20", "2026-02-03", "同意",
           "2026-02-05 10:00:00"),
        rp("终止公示行政处罚信息", e13, "济历城市监罚〔2025〕9413号", lc.uscc, "2025-09-01", "2025-09-10", "不同意",
           "2026-02-05 10:00:00"),
        rp("终止公示行政处罚信息", e4, "济历城市监罚〔2025〕9404号", lc.uscc, "2026-01-10", "2026-01-20", "不同意",
           "2026-02-05 10:00:00"),
        rp("终止公示行政处罚信息", org(jn1), "济市监罚〔2025〕99999号", D["jinan_scjgj"].uscc, "2026-01-10",
           "2026-01-20", "同意", "2026-02-05 10:00:00"),
        rp("移出严重失信主体名单", org(zb2), "淄环信〔2025〕2号", z_env.uscc, "2026-01-05", "2026-02-10", "同意",
           "2026-02-11 10:00:00", fixer="zibo_sthjj"),
    ]))
    assert fg

    # 25. objections (异议处理): a 删除 that withdraws a publishing penalty, an open objection on a
    # serious-list designation (under_objection: it stays on the list, marked)
    def ob(no: str, subj: dict, category: str, docno: str, auth: str, accepted: str, sub: str, *,
           outcome: str = "", resolved: str = "", handler: str) -> dict:
        return {**dept("jinan_fgw"), "报送时间": sub, "异议编号": no, "异议主体名称": subj["行政相对人名称"],
                "主体类别": subj["行政相对人类别"], "统一社会信用代码": subj.get("统一社会信用代码", ""),
                "异议信息类别": category, "关联文书号": docno, "关联机关统一社会信用代码": auth, "异议理由": "信息有误",
                "受理日期": accepted, "处理结果": outcome, "办结日期": resolved, "处理单位": D[handler].name,
                "处理单位统一社会信用代码": D[handler].uscc}

    add(write_csv("objection/2026-03_jinan_objections.csv", "objection", [
        ob("济信异〔2026〕1号", org(find_entity("370112", skip=3)), "行政处罚", "济历城市监罚〔2025〕9403号", lc.uscc,
           "2026-02-24", "2026-03-06 10:00:00", outcome="删除", resolved="2026-03-05", handler="licheng_scjgj"),
        ob("济信异〔2026〕2号", org(zb1), "失信名单", "淄环信〔2025〕1号", z_env.uscc, "2026-03-23",
           "2026-03-24 10:00:00", handler="zibo_sthjj"),
    ]))

    # 26. a batch with a header and no rows
    add(write_csv("license/2025-10_jinan_empty_batch.csv", "license", []))
    return made


def main() -> None:
    for sub in list(KINDS) + ["unknown_kind"]:
        shutil.rmtree(HERE / sub, ignore_errors=True)
    counts = generate_extracts(HERE, RECORDS, SEED)
    print("generated rows:", counts)
    made = build_hand_made()
    print(f"hand-made files: {len(made)}")
    for m in made:
        print("  ", m)
    size = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    print(f"raw_samples total: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
