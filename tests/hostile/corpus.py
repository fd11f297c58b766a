"""A corpus of broken extracts, generated (the repo carries no 10 000-column blobs).

Every builder writes one file under ``raw/<kind>/`` and returns what the landing must say
about it: the file's status and reason prefix, and for loaded files the reasons of the
rows it must reject. ``build_corpus`` writes them all.
"""

from __future__ import annotations

import csv
import io
import os
import random
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from creditwh.codes import make_ric
from creditwh.landing.pii import mask_free_text
from e2e.helpers import PENALTY_HEADER, penalty_row


@dataclass(frozen=True)
class Expected:
    status: str  # loaded | rejected | duplicate
    reason: str | None = None  # prefix of audit.extract_files.reason
    rows_landed: int = 0
    rejected: tuple[tuple[int, str], ...] = ()  # (line number, reason prefix) of each rejected row


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def good_rows(prefix: str, n: int) -> list[list[str]]:
    return [penalty_row(f"鲁{prefix}罚〔2025〕{i}号") for i in range(1, n + 1)]


def _xlsx(path: Path, sheets: dict[str, list[list[str]]], merge: str | None = None) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if merge and name == next(iter(sheets)):
            ws.merge_cells(merge)
    wb.save(path)


MISTYPED_DATES = "29_mistyped_dates.xlsx"


def build_corpus(raw: Path) -> dict[str, Expected]:
    d = raw / "penalty"
    d.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expected] = {}

    def put(name: str, data: bytes | str, exp: Expected) -> None:
        (d / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[f"penalty/{name}"] = exp

    put("01_empty.csv", b"", Expected("rejected", "EMPTY_FILE"))
    # a header and no rows is an empty batch: loaded, rows_read = 0 (raw_samples has one too)
    put("02_header_only.csv", csv_text(PENALTY_HEADER, []), Expected("loaded"))
    put("03_header_only_blank_lines.csv", csv_text(PENALTY_HEADER, []) + "\n\r\n\n", Expected("loaded"))

    # the last row cut mid-field: fewer fields than the header
    text = csv_text(PENALTY_HEADER, good_rows("截", 3))
    put("04_truncated_last_line.csv", text + text.splitlines()[1][:40],
        Expected("loaded", rows_landed=3, rejected=((5, "FIELD_COUNT"),)))
    # the last row cut inside a quoted cell: the quote never closes
    put("05_truncated_in_quotes.csv", text + text.splitlines()[1][:60] + ',"违法事实被截断，\n第二行',
        Expected("loaded", rows_landed=3, rejected=((5, "UNTERMINATED_QUOTE"),)))

    rnd = random.Random(20251121)
    put("06_binary_garbage.csv", bytes(rnd.randrange(256) for _ in range(8192)), Expected("rejected", "UNDECODABLE"))
    # binary that happens to decode (bytes below 0x80 only): NUL and control characters
    put("06b_binary_ascii.csv", bytes(rnd.randrange(128) for _ in range(8192)), Expected("rejected", "NOT_TEXT"))
    put("07_utf16.csv", csv_text(PENALTY_HEADER, good_rows("十六", 2)).encode("utf-16"),
        Expected("rejected", "UNSUPPORTED_ENCODING"))

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    put("08_zip_renamed.xlsx", buf.getvalue(), Expected("rejected", "NOT_XLSX"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("extract.csv", csv_text(PENALTY_HEADER, good_rows("压缩", 1)))
    put("09_zip_renamed.csv", buf.getvalue(), Expected("rejected", "NOT_TEXT"))
    put("10_csv_renamed.xlsx", csv_text(PENALTY_HEADER, good_rows("改名", 2)), Expected("rejected", "NOT_XLSX"))

    # several sheets: the first is the extract; a notes sheet is not read, but the rows of a
    # sheet that carries the extract's header are not silently dropped
    _xlsx(d / "11_several_sheets.xlsx", {
        "处罚": [PENALTY_HEADER, *good_rows("多表", 2)],
        "说明": [["本表由某系统导出"]],
        "Sheet3": [PENALTY_HEADER, *good_rows("多表续", 2)],
        "空表": [],
    })
    expected["penalty/11_several_sheets.xlsx"] = Expected(
        "loaded", rows_landed=2,
        rejected=((2, "EXTRA_SHEET: row 2 of worksheet 'Sheet3'"), (3, "EXTRA_SHEET: row 3 of worksheet 'Sheet3'")))
    # merged header cells (a group title over two columns)
    merged = [["行政相对人信息", ""] + PENALTY_HEADER[2:], *good_rows("合并", 2)]
    _xlsx(d / "12_merged_header.xlsx", {"Sheet1": merged}, merge="A1:B1")
    expected["penalty/12_merged_header.xlsx"] = Expected("rejected", "MERGED_HEADER_CELLS")

    # mixed encodings: UTF-8 lines and a GB18030 line in one file
    rows = good_rows("混", 3)
    mixed = csv_text(PENALTY_HEADER, rows[:2]).encode("utf-8") + csv_text(PENALTY_HEADER, rows[2:]).split("\n", 1)[1].encode("gb18030")
    put("13_mixed_encodings.csv", mixed, Expected("rejected", "MIXED_ENCODING"))

    # very long cells: 200 000 characters (over Python csv's default field limit) lands;
    # 3 000 000 (over DuckDB's line limit and the warehouse's cell limit) is rejected
    rows = good_rows("长", 3)
    rows[0][PENALTY_HEADER.index("违法事实")] = "超" * 200_000
    rows[1][PENALTY_HEADER.index("违法事实")] = "长" * 3_000_000
    put("14_very_long_cells.csv", csv_text(PENALTY_HEADER, rows),
        Expected("loaded", rows_landed=2, rejected=((3, "CELL_TOO_LONG"),)))

    # embedded NUL bytes in a cell
    rows = good_rows("零", 3)
    rows[1][PENALTY_HEADER.index("违法事实")] = "事实\x00\x00含空字节"
    put("15_nul_bytes.csv", csv_text(PENALTY_HEADER, rows),
        Expected("loaded", rows_landed=2, rejected=((3, "NUL_BYTE"),)))

    wide = PENALTY_HEADER + [f"列{i}" for i in range(10_000 - len(PENALTY_HEADER))]
    put("16_ten_thousand_columns.csv", csv_text(wide, [penalty_row("鲁宽罚1号") + ["x"] * (len(wide) - len(PENALTY_HEADER))]),
        Expected("rejected", "TOO_MANY_COLUMNS"))

    dup = PENALTY_HEADER + ["处罚机关"]
    put("17_duplicate_headers.csv", csv_text(dup, [penalty_row("鲁重罚1号") + ["另一机关"]]),
        Expected("rejected", "DUPLICATE_COLUMNS"))
    # two unnamed columns holding data: kept in _extra, never a nameless duplicate
    rows = [r + ["附注", ""] for r in good_rows("无名", 2)]
    put("18_unnamed_columns.csv", csv_text(PENALTY_HEADER + ["", ""], rows), Expected("loaded", rows_landed=2))

    # a field too many whose last cell is empty (an unquoted comma in 处罚内容): DuckDB's reader would
    # drop the trailing delimiter and land the row shifted (处罚内容 '罚款人民币8', 罚款金额 '000元')
    rows = [",".join(row) for row in good_rows("移", 3)]
    shifted = penalty_row("鲁移罚〔2025〕9号")
    shifted[PENALTY_HEADER.index("处罚内容")] = "罚款人民币8,000元"
    shifted[-1] = ""
    rows.insert(1, ",".join(shifted))
    put("19_trailing_comma_shift.csv", ",".join(PENALTY_HEADER) + "\n" + "\n".join(rows) + "\n",
        Expected("loaded", rows_landed=3, rejected=((3, "FIELD_COUNT"),)))

    # one department's typos in an XLSX export: 2025 typed as 2052, a decision date cell of 1900
    # (an Excel date cell): defects of their rows, never a stop (rules.md 双公示 timeliness)
    typos = good_rows("错日", 4)
    typos[1][PENALTY_HEADER.index("报送时间")] = "2052-10-10 09:30"
    typos[2][PENALTY_HEADER.index("处罚决定日期")] = date(1900, 2, 28)
    typos[3][PENALTY_HEADER.index("处罚决定日期")] = "1949-09-30"
    _xlsx(d / MISTYPED_DATES, {"Sheet1": [PENALTY_HEADER, *typos]})
    expected[f"penalty/{MISTYPED_DATES}"] = Expected("loaded", rows_landed=4)

    expected.update(build_hostile_names(raw))
    return expected


def colliding_identity_numbers() -> tuple[str, str]:
    """Two valid identity numbers masked alike: the same first six and last four characters."""
    first = make_ric("370102", date(1983, 2, 14), 113)
    birth = date(1983, 2, 15)
    while (other := make_ric("370102", birth, 113))[-4:] != first[-4:]:
        birth += timedelta(days=1)
    return first, other


PERSON_IN_NAME = make_ric("370102", date(1983, 2, 14), 113)


def build_hostile_names(raw: Path) -> dict[str, Expected]:
    """Files that are not plain files, or whose names are hostile, under raw/penalty, keyed by the path
    the landing must record: links (followed), a FIFO, loops, a name that is not UTF-8, names with
    identity numbers (masked; two masked alike both kept)."""
    d = raw / "penalty"
    outside = raw.parent / f"{raw.name}_outside"
    (outside / "folder").mkdir(parents=True, exist_ok=True)
    text = csv_text(PENALTY_HEADER, good_rows("链", 2))
    (outside / "target.csv").write_text(text, encoding="utf-8")
    (outside / "folder" / "a.csv").write_text(csv_text(PENALTY_HEADER, good_rows("夹", 2)), encoding="utf-8")
    os.mkfifo(d / "20_fifo.csv")
    os.symlink(outside / "gone.csv", d / "21_dangling_link.csv")
    os.symlink(d / "22_link_loop.csv", d / "22_link_loop.csv")
    os.symlink(d, d / "23_folder_loop", target_is_directory=True)
    os.symlink(outside / "target.csv", d / "24_link_to_file.csv")
    os.symlink(outside / "folder", d / "25_linked_folder", target_is_directory=True)
    gbk_name = os.fsencode(d) + b"/26_\xb9\xfa.csv"  # 国 in GBK: not UTF-8
    with open(gbk_name, "wb") as fh:
        fh.write(csv_text(PENALTY_HEADER, good_rows("国", 1)).encode("gb18030"))
    named = d / f"27_张三_{PERSON_IN_NAME}.csv"
    named.write_text(csv_text(PENALTY_HEADER, good_rows("名", 2)) + "too,few\n", encoding="utf-8")
    first, other = colliding_identity_numbers()
    for n, number in enumerate((first, other)):
        (d / f"28_{number}.csv").write_text(csv_text(PENALTY_HEADER, good_rows(f"撞{n}", 1)), encoding="utf-8")
    return {
        "penalty/20_fifo.csv": Expected("rejected", "NOT_A_REGULAR_FILE: a FIFO"),
        "penalty/21_dangling_link.csv": Expected("rejected", "DANGLING_LINK"),
        "penalty/22_link_loop.csv": Expected("rejected", "LINK_LOOP"),
        "penalty/23_folder_loop": Expected("rejected", "LINK_LOOP"),
        "penalty/24_link_to_file.csv": Expected("loaded", rows_landed=2),
        "penalty/25_linked_folder/a.csv": Expected("loaded", rows_landed=2),
        "penalty/26_\\xb9\\xfa.csv": Expected("rejected", "UNDECODABLE_NAME"),
        f"penalty/27_张三_{mask_free_text(PERSON_IN_NAME)}.csv": Expected(
            "loaded", rows_landed=2, rejected=((4, "FIELD_COUNT"),)),
        f"penalty/28_{mask_free_text(first)}.csv": Expected("loaded", rows_landed=1),
        f"penalty/28_{mask_free_text(other)}.csv#2": Expected("loaded", rows_landed=1),
    }
