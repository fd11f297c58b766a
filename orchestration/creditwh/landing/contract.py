"""The extract contract (var ``extract_contract`` of dbt_project.yml) and header normalisation."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from creditwh.rules import DBT_PROJECT_DIR, dbt_vars

SUPPORTED_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    pii: bool = False
    # dbt's side: the staging column's name and how the base model cleans the cell. Not in repr,
    # which landing's rules fingerprint hashes (land.py): they do not change a landed row.
    staging: str = field(default="", repr=False)
    type: str = field(default="text", repr=False)  # text | code | date | timestamp | derived
    person_key: bool = field(default=False, repr=False)


@dataclass(frozen=True)
class KindSpec:
    kind: str
    columns: tuple[ColumnSpec, ...]
    identity: tuple[str, ...]  # column names, and the names of parts that are not columns (承诺主体)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def pii_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.pii]

    def header_of(self, staging: str) -> str | None:
        """The Chinese header of the column staged as ``staging`` (None: no such column)."""
        return next((c.name for c in self.columns if c.staging == staging), None)


def normalise_header(text: str) -> str:
    """NFKC (full-width parentheses become half-width) and no surrounding or inner blanks."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _flatten(items: list) -> list[dict]:
    out: list[dict] = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


@cache
def load_contract(project_dir: Path = DBT_PROJECT_DIR) -> dict[str, KindSpec]:
    """Every extract kind's contract, in the contract's order; the one reader of it in Python."""
    kinds: dict[str, KindSpec] = {}
    for kind, body in dbt_vars(project_dir)["extract_contract"]["kinds"].items():
        columns = tuple(
            ColumnSpec(
                name=c["name"],
                required=bool(c.get("required", False)),
                aliases=tuple(c.get("aliases", ())),
                pii=bool(c.get("pii", False)),
                staging=c["staging"],
                type=c.get("type", "text"),
                person_key=bool(c.get("person_key", False)),
            )
            for c in _flatten(body["columns"])
        )
        identity = tuple(part if isinstance(part, str) else part["name"] for part in body["identity"])
        kinds[kind] = KindSpec(kind=kind, columns=columns, identity=identity)
    return kinds


@dataclass
class HeaderMapping:
    """How a file's header row maps onto the contract's columns."""

    canonical_by_position: list[str | None]  # None: a column the contract does not know
    delivered: list[str]
    missing_required: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)

    @property
    def extra_columns(self) -> list[tuple[int, str]]:
        """Columns the contract does not know, by the name they are kept under in ``_extra``
        (a column without a name is called by its position: ``列22``)."""
        return [
            (i, self.delivered[i] if normalise_header(self.delivered[i]) else unnamed_column(i))
            for i, c in enumerate(self.canonical_by_position) if c is None
        ]

    @property
    def problem(self) -> str | None:
        if self.duplicated:
            return "DUPLICATE_COLUMNS: the header names these columns more than once: " + "、".join(self.duplicated)
        if self.missing_required:
            return "MISSING_REQUIRED_COLUMNS: " + "、".join(self.missing_required)
        return None


def unnamed_column(position: int) -> str:
    return f"列{position + 1}"


def map_header(spec: KindSpec, header: list[str]) -> HeaderMapping:
    lookup: dict[str, str] = {}
    for col in spec.columns:
        for spelling in (col.name, *col.aliases):
            lookup[normalise_header(spelling)] = col.name
    canonical = [lookup.get(normalise_header(h)) for h in header]
    seen: dict[str, int] = {}
    for name in canonical:
        if name is not None:
            seen[name] = seen.get(name, 0) + 1
    # Unknown columns are kept (in _extra), but two unknown columns with one name cannot be.
    extra_names = [normalise_header(h) for h, c in zip(header, canonical) if c is None and normalise_header(h)]
    duplicated = [n for n, k in seen.items() if k > 1] + sorted(
        {n for n in extra_names if extra_names.count(n) > 1}
    )
    present = set(seen)
    missing = [c for c in spec.required if c not in present]
    return HeaderMapping(canonical, list(header), missing, duplicated)
