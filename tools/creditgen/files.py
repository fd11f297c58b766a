"""The CSV files a generation writes: one per kind, month and city, split at ROWS_PER_FILE rows,
streamed. In messy mode a file may be GB18030 or UTF-8 with BOM, spell its header otherwise
(aliases, full-width parentheses, spaces) or leave out optional columns."""

from __future__ import annotations

import csv
import random
from operator import itemgetter
from pathlib import Path
from typing import Sequence

from creditgen.kinds import KINDS
from creditgen.rates import (
    FILE_RATE_DROP_OPTIONAL, FILE_RATE_GB18030, FILE_RATE_HEADER_VARIANT, FILE_RATE_UTF8_BOM, ROWS_PER_FILE,
)
from creditwh.landing.contract import ColumnSpec, KindSpec


def _header_variants(spec: ColumnSpec) -> list[str]:
    name = spec.name
    out = [name]
    for a in [name] + list(spec.aliases):
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


class CsvFile:
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


class Sinks:
    def __init__(self, out_dir: Path, contract: dict[str, KindSpec], messy: bool, seed: int):
        self.out_dir, self.contract, self.messy, self.seed = out_dir, contract, messy, seed
        self.files: dict[tuple[str, str], CsvFile] = {}
        self.parts: dict[tuple[str, str], int] = {}
        self.counts = {k: 0 for k in KINDS}

    def _open(self, kind: str, group: str, part: int) -> CsvFile:
        name = f"{group}_{part:02d}.csv"
        cols = self.contract[kind].columns
        header = [c.name for c in cols]
        encoding, keep = "utf-8", None
        if self.messy:
            rnd = random.Random(f"{self.seed}/{kind}/{name}")
            u = rnd.random()
            encoding = "gb18030" if u < FILE_RATE_GB18030 else (
                "utf-8-sig" if u < FILE_RATE_GB18030 + FILE_RATE_UTF8_BOM else "utf-8")
            if rnd.random() < FILE_RATE_HEADER_VARIANT:
                header = []
                for c in cols:
                    h = rnd.choice(_header_variants(c)) if rnd.random() < 0.5 else c.name
                    if rnd.random() < 0.15:
                        h = rnd.choice((" ", "  ", "\u3000")) + h + rnd.choice(("", " "))
                    header.append(h)
            if rnd.random() < FILE_RATE_DROP_OPTIONAL:
                optional = [j for j, c in enumerate(cols) if c.name in _DROPPABLE]
                drop = set(rnd.sample(optional, min(len(optional), rnd.randint(1, 3))))
                keep = [j for j in range(len(cols)) if j not in drop]
                header = [header[j] for j in keep]
        return CsvFile(self.out_dir / kind / name, encoding, header, keep)

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

