"""Chinese labels of the warehouse's codes, from the dbt project's seeds (read once per file):

- ``seeds/code_labels.csv``: code list, code → label (record_kind ``penalty`` → 行政处罚);
- ``seeds/defect_codes.csv``: defect class and detail → label (``DATE_ORDER:decision_after_submission``
  → 报送早于决定日期).

The seeds ship with the code, not with the data: a look-up answered from a publication labels the
same way as one answered from the live warehouse.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from creditwh.rules import SEEDS_DIR, seed_rows


@cache
def _grouped(seeds_dir: Path, seed: str, group: str, key: str) -> dict[str, dict[str, str]]:
    """A seed's labels by ``group`` column, then by ``key`` column."""
    grouped: dict[str, dict[str, str]] = {}
    for row in seed_rows(seed, seeds_dir):
        grouped.setdefault(row[group], {})[row[key]] = row["label"]
    return grouped


def code_labels(code_list: str) -> dict[str, str]:
    """code → label of one code list of seeds/code_labels.csv."""
    return _grouped(SEEDS_DIR, "code_labels", "code_list", "code").get(code_list, {})


def label(code_list: str, code) -> str:
    """The code's label, or the code itself when the list has none for it."""
    return code_labels(code_list).get(code, str(code))


def defect_labels(defect_class: str) -> dict[str, str]:
    """detail → label of one defect class of seeds/defect_codes.csv; '' is the class's own label."""
    return _grouped(SEEDS_DIR, "defect_codes", "defect_class", "detail").get(defect_class, {})
