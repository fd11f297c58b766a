"""The drawn list as .xlsx or .csv (creditwh.render): 说明 (how it was drawn, how to draw it again),
then 抽查名单 — entity code, name, tier, region and registration status, nothing about any person."""

from __future__ import annotations

from pathlib import Path

from creditwh.render import COUNT, DATE, Column, Section, Table, text, write_by_suffix
from creditwh.render.csv import write_csv
from creditwh.render.xlsx import workbook, write_notes, write_table
from creditwh.sampling.draw import Draw, SampleError

TITLE = "双随机抽查名单"
LIST_SECTION = "抽查名单"
TIERS_SECTION = "分级抽取情况"
LIST_COLUMNS = [
    Column("entity_code", "统一社会信用代码"), Column("entity_name", "主体名称"), Column("credit_tier", "信用等级"),
    Column("tier_name", "等级名称"), Column("region_code", "行政区划代码"), Column("region_name", "行政区划"),
    Column("registration_status", "登记状态"),
]
TIER_COLUMNS = [
    Column("tier", "信用等级"), Column("tier_name", "等级名称"), Column("sampling_ratio", "抽查比例"),
    Column("population", "主体数", COUNT), Column("drawn", "抽取数", COUNT),
]
SUFFIXES = (".xlsx", ".csv")


def notes(draw: Draw, purpose: str) -> list[tuple[str, str]]:
    population = draw.population
    region = f"{population.region_code} {population.region_name or ''}".strip()
    return [
        ("抽查事项", purpose),
        ("行政区划", f"{region}（含所辖区划）"),
        ("数据截至", text(population.as_of, DATE)),
        ("抽取范围", "登记状态为存续、在业的主体；信用等级为数据截至日的等级"),
        ("抽取规则", "各信用等级按抽查比例随机抽取，抽取数 = 向上取整（抽查比例 × 该等级主体数）"),
        ("随机种子", str(draw.seed)),
        ("复现方法", f"creditwh sample --region {population.region_code} --seed {draw.seed} --purpose …"
                     "（同一数据仓库、同一数据截至日得到同一名单）"),
        ("总体指纹", population.fingerprint()),
        ("抽取数", f"{len(draw.entities)}（{draw.sizes()}）"),
    ]


def _sections(draw: Draw) -> list[Section]:
    names = {rule.tier: rule.tier_name for rule in draw.tiers}
    listed = [{**entity, "tier_name": names.get(entity["credit_tier"])} for entity in draw.entities]
    tiers = [{"tier": rule.tier, "tier_name": rule.tier_name, "sampling_ratio": f"{rule.sampling_ratio:%}",
              "population": len(draw.population.of_tier(rule.tier)), "drawn": len(draw.drawn[rule.tier])}
             for rule in draw.tiers]
    return [
        Section(LIST_SECTION, tables=[Table.of_records(listed, LIST_COLUMNS, missing="")]),
        Section(TIERS_SECTION, tables=[Table.of_records(tiers, TIER_COLUMNS)]),
    ]


def _write_xlsx(draw: Draw, purpose: str, out: Path) -> None:
    with workbook(out) as wb:
        write_notes(wb, TITLE, notes(draw, purpose))
        for section in _sections(draw):
            ws = wb.add_worksheet(section.title)
            write_table(wb, ws, section.tables[0])


def _write_csv(draw: Draw, purpose: str, out: Path) -> None:
    write_csv(out, [("标题", TITLE), *notes(draw, purpose)], _sections(draw))


WRITERS = {".xlsx": _write_xlsx, ".csv": _write_csv}


def check_suffix(out: Path) -> None:
    if out.suffix.lower() not in WRITERS:
        raise SampleError(f"--out 应为 {' 或 '.join(SUFFIXES)} 文件，收到 {out.name}")


def write_sample(draw: Draw, out: Path, purpose: str) -> Path:
    """Write the list (its folder created) atomically: never half a list where a supervisor opens it."""
    check_suffix(Path(out))
    return write_by_suffix(
        out, {suffix: lambda partial, write=write: write(draw, purpose, partial) for suffix, write in WRITERS.items()},
        lambda taken: SampleError(f"--out 应为 {' 或 '.join(SUFFIXES)} 文件，收到 {Path(out).name}"),
    )
