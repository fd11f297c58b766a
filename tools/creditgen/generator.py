"""A whole generation: the registry snapshot, then month by month the licences, penalties, list
designations and commitments of the period, with the repairs and objections they receive."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

import numpy as np

from creditgen.context import Chunk, Context
from creditgen.delivery import Delivery
from creditgen.kinds.commitment import commitment_chunk
from creditgen.kinds.credit_list import list_chunk
from creditgen.kinds.license import license_chunk
from creditgen.kinds.objection import objection_chunk, penalty_objections
from creditgen.kinds.penalty import penalty_chunk, penalty_repairs
from creditgen.kinds.registry import registry_chunk
from creditgen.kinds.repair import repair_chunk
from creditgen.rates import (
    CHUNK_ROWS, MIN_COMMITMENT, MIN_CREDIT_LIST, MIN_OBJECTION, MIN_REPAIR, SHARE_COMMITMENT, SHARE_CREDIT_LIST,
    SHARE_LICENSE, SHARE_OBJECTION, SHARE_REPAIR,
)
from creditgen.world import World

MONTHLY_KINDS = ("license", "penalty", "credit_list", "commitment")


def generate_extracts(out_dir: Path, records: int, seed: int = 20251001, *, messy: bool = True,
                      start: date = date(2025, 7, 1), end: date = date(2026, 3, 31)) -> dict[str, int]:
    """Write synthetic extracts for all seven kinds under ``out_dir`` and return rows per kind.

    ``records`` is the number of 双公示 records (≈60 % licences, 40 % penalties); registry
    ≈ records/5 entities (≥ 50), credit_list ≈ 2 %, commitment ≈ 5 %, repair ≈ 1 % (each
    with a floor), objection ≈ 2 % (to penalties, ≥ 20; the first names no existing penalty).
    Rows written include injected repeats and corrections. Files are
    ``<kind>/<yyyy-mm>_<city>_<part>.csv`` (registry: ``<city>_<part>.csv``), at most
    ROWS_PER_FILE rows each. Decision dates fall in [start, end]; 报送时间 is clamped to
    ``end`` (the extraction date). Same arguments, same bytes.
    """
    records, seed = int(records), int(seed)
    if records < 1:
        raise ValueError("records must be >= 1")
    if end < start:
        raise ValueError("end precedes start")
    ctx = Context(World(records, seed, start), seed, messy, start, end)
    delivery = Delivery(Path(out_dir), seed, messy, ctx.end)
    _registry(ctx, delivery, seed)
    _months(ctx, delivery, _plan(ctx, records), seed)
    delivery.sinks.close()
    return dict(delivery.sinks.counts)


@dataclass
class _Plan:
    months: list[tuple[str, int, int]]    # (yyyy-mm, first day, last day) as ordinals
    rows: dict[str, list[int]]            # kind -> rows per month
    penalty_repairs: list[int]            # repairs of penalties per month
    list_repairs: list[int]               # repairs of list designations per month
    objections: list[int]                 # objections to penalties per month


def _plan(ctx: Context, records: int) -> _Plan:
    """Rows per kind and month, in proportion to the month's working days."""
    months = []
    o = ctx.start
    while o <= ctx.end:
        d = date.fromordinal(o)
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1).toordinal()
        months.append((f"{d:%Y-%m}", o, min(nxt - 1, ctx.end)))
        o = nxt
    wdays = [max(1, int(((ctx.wd >= a) & (ctx.wd <= b)).sum())) for _, a, b in months]
    n_lic = int(round(records * SHARE_LICENSE))
    if records >= 2:  # both kinds, however small
        n_lic = min(max(1, n_lic), records - 1)
    n_rp = max(MIN_REPAIR, int(round(records * SHARE_REPAIR)))
    totals = {"license": n_lic, "penalty": records - n_lic,
              "credit_list": max(MIN_CREDIT_LIST, int(round(records * SHARE_CREDIT_LIST))),
              "commitment": max(MIN_COMMITMENT, int(round(records * SHARE_COMMITMENT)))}
    # repairs come late: weighted by how long before the end a month lies
    rep_w = [w * max(0, ctx.end - (a + b) // 2 - 20) for w, (_, a, b) in zip(wdays, months)]
    if sum(rep_w) == 0:
        rep_w = wdays
    n_obj = max(MIN_OBJECTION, int(round(records * SHARE_OBJECTION)))
    return _Plan(months, {k: _split(total, wdays) for k, total in totals.items()},
                 _split(n_rp - n_rp // 5, rep_w), _split(n_rp // 5, rep_w), _split(n_obj, rep_w))


def _registry(ctx: Context, delivery: Delivery, seed: int) -> None:
    """One registry snapshot per city."""
    rng = np.random.default_rng([seed, 0])
    prng = random.Random(seed * 7 + 1)
    for lo in range(0, ctx.world.n_entities, CHUNK_ROWS):
        ch = registry_chunk(ctx, rng, lo, min(lo + CHUNK_ROWS, ctx.world.n_entities))
        delivery.deliver("registry", ch, rng, prng, None)
    delivery.sinks.close("registry")


def _months(ctx: Context, delivery: Delivery, plan: _Plan, seed: int) -> None:
    carry = 0  # repairs not yet placed (too few candidates): offered to the next penalties
    objections: list[dict] = []
    for mi, (label, a, b) in enumerate(plan.months):
        for ki, kind in enumerate(MONTHLY_KINDS):
            delivery.flush_pending(kind, label)
            target = 0
            if kind == "penalty":
                target, carry = plan.penalty_repairs[mi] + carry, 0
            elif kind == "credit_list":
                target = plan.list_repairs[mi]
            repairs: list[dict] = []
            for ci, size in enumerate(_chunks(plan.rows[kind][mi])):
                rng = np.random.default_rng([seed, ki + 1, mi, ci])
                prng = random.Random(int(rng.integers(1 << 62)))
                ch, got = _chunk_of(ctx, delivery, kind, rng, prng, size, (label, a, b), target if ci == 0 else 0)
                repairs.extend(got)
                if kind == "penalty" and ci == 0:
                    objections += _objections_of(ctx, ch, plan.objections[mi], (seed, mi),
                                                 unmatched=not objections)
            if kind in ("penalty", "credit_list"):
                carry += max(0, target - len(repairs))
            if repairs:
                rrng = np.random.default_rng([seed, 9, mi, ki])
                rch = repair_chunk(ctx, rrng, repairs)
                delivery.deliver("repair", rch, rrng, random.Random(int(rrng.integers(1 << 62))), None)
            if mi == len(plan.months) - 1:
                delivery.flush_pending(kind, label)
            delivery.sinks.close(kind)
    if objections:
        orng = np.random.default_rng([seed, 10])
        delivery.deliver("objection", objection_chunk(ctx, orng, objections), orng,
                         random.Random(int(orng.integers(1 << 62))), None)


def _objections_of(ctx: Context, ch: Chunk, want: int, stream: tuple[int, int], *, unmatched: bool) -> list[dict]:
    """The objections to a month's penalties, drawn from their own stream (the other kinds' rows stay
    as they were before objections existed)."""
    return penalty_objections(ctx, np.random.default_rng([stream[0], 10, stream[1]]), ch, want,
                              ch.extra["blanked"], unmatched=unmatched)


def _chunk_of(ctx: Context, delivery: Delivery, kind: str, rng, prng: random.Random, size: int,
              month: tuple[str, int, int], want: int) -> tuple[Chunk, list[dict]]:
    """Draw and deliver one chunk of a monthly kind; return it and the repairs it leads to."""
    label, a, b = month
    repairs: list[dict] = []
    ch: Chunk
    if kind == "license":
        ch = license_chunk(ctx, rng, size, a, b)
    elif kind == "penalty":
        ch = penalty_chunk(ctx, rng, size, a, b)
    elif kind == "credit_list":
        ch, repairs = list_chunk(ctx, rng, size, a, b, want)
    else:
        ch = commitment_chunk(ctx, rng, size, a, b)
    delivery.deliver(kind, ch, rng, prng, label)
    if kind == "penalty":
        repairs = penalty_repairs(ctx, rng, ch, want, ch.extra["blanked"])
    return ch, repairs


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
