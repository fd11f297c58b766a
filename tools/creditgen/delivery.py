"""How a chunk reaches its files: messed up (messy mode), grouped into ``<month>_<city>`` files
in submission order, with repeats and corrections, some of which arrive with next month's batch."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from creditgen.context import Chunk
from creditgen.corrections import correct
from creditgen.dates import iso_date
from creditgen.files import Sinks
from creditgen.kinds import KINDS
from creditgen.mess import inject_defects
from creditgen.places import CITIES
from creditgen.rates import RATE_CORRECTION, RATE_REPEAT
from creditgen.reference import contract


class Delivery:
    def __init__(self, out_dir: Path, seed: int, messy: bool, end: int):
        spec = contract()
        self.messy, self.end = messy, end
        self.sinks = Sinks(out_dir, spec, messy, seed)
        self.pending: dict[tuple[str, int], list[tuple]] = {}  # (kind, city) -> rows for next month
        self.hdr = {k: spec[k].column_names for k in KINDS}
        self.required = {k: [c for c in spec[k].required if c not in spec[k].identity] for k in KINDS}
        self.optional = {k: [c.name for c in spec[k].columns if not c.required] for k in KINDS}

    def deliver(self, kind: str, ch: Chunk, rng, prng: random.Random, group: str | None) -> None:
        """Mess (if messy), add repeats/corrections, split into files and write.

        Files are grouped by ``<month>_<city>``: the chunk's month (``group``), or each row's
        own month (``ch.group_month``, repairs), or the city alone (registry). Sets
        ``ch.extra["blanked"]``: the rows whose identity was blanked."""
        blanked: set[int] = set()
        if self.messy:
            blanked = inject_defects(kind, ch, rng, prng, self.required[kind], self.optional[kind])
        hdr = self.hdr[kind]
        n = len(ch.sub_ord)
        empty = [""] * n
        rows = list(zip(*[ch.cols.get(h, empty) for h in hdr]))
        keys, names = _file_keys(ch, group)
        order = np.lexsort((ch.sub_ord, keys))
        cuts = np.flatnonzero(np.diff(keys[order])) + 1
        by_group: dict[str, list[tuple]] = {}
        for seg in np.split(order, cuts) if n else []:
            by_group[names[int(keys[seg[0]])]] = [rows[i] for i in seg.tolist()]
        if self.messy and n:
            carry = kind not in ("repair", "objection", "registry")
            city = ch.city.tolist()
            for i, row in self._repeats_and_corrections(kind, ch, rows, rng, prng, blanked):
                if carry and prng.random() < 0.5:  # arrives with next month's batch
                    self.pending.setdefault((kind, city[i]), []).append(row)
                else:
                    by_group[names[int(keys[i])]].append(row)
        for g in sorted(by_group):
            self.sinks.write(kind, g, by_group[g])
        ch.extra["blanked"] = blanked

    def _repeats_and_corrections(self, kind: str, ch: Chunk, rows: list[tuple], rng, prng: random.Random,
                                 blanked: set[int]) -> list[tuple[int, tuple]]:
        """Rows delivered again: identical, or corrected with a later 报送时间."""
        n = len(rows)
        hdr = self.hdr[kind]
        sub_col = hdr.index("报送时间")
        extra: list[tuple[int, tuple]] = []
        for i in sorted(rng.choice(n, size=min(n, int(rng.binomial(n, RATE_REPEAT))), replace=False).tolist()):
            extra.append((i, rows[i]))
        for i in sorted(rng.choice(n, size=min(n, int(rng.binomial(n, RATE_CORRECTION))), replace=False).tolist()):
            if i in blanked:
                continue
            row = list(rows[i])
            correct(kind, hdr, row, prng)
            o = int(ch.sub_ord[i])
            new_o = min(o + 1 + prng.randrange(30), self.end)
            tm = "23:59:59" if new_o == o else f"{prng.randrange(8, 18):02d}:{prng.randrange(60):02d}:{prng.randrange(60):02d}"
            row[sub_col] = f"{iso_date(new_o)} {tm}"
            extra.append((i, tuple(row)))
        return extra

    def flush_pending(self, kind: str, month: str) -> None:
        """Write the rows held back for this month's batch."""
        for c in range(len(CITIES)):
            rows = self.pending.pop((kind, c), None)
            if rows:
                self.sinks.write(kind, f"{month}_{CITIES[c].key}", rows)


def _file_keys(ch: Chunk, group: str | None) -> tuple[np.ndarray, list[str]]:
    """Each row's file group as a number, and the file-name prefix of each number."""
    ncity = len(CITIES)
    if ch.group_month is not None:
        labels, inv = np.unique(np.array(ch.group_month, dtype=object).astype(str), return_inverse=True)
        keys = inv.astype(np.int64) * ncity + ch.city
        names = [f"{m}_{CITIES[c].key}" for m in labels.tolist() for c in range(ncity)]
    else:
        keys = ch.city.astype(np.int64)
        names = [f"{group}_{c.key}" if group else c.key for c in CITIES]
    return keys, names
