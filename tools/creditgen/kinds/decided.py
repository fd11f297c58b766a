"""What licences and penalties draw alike: department, template, dates, subject, number."""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import numpy as np

from creditgen.context import Context, DomainChoices
from creditgen.dates import years_of
from creditgen.subjects import subjects


class Decisions(NamedTuple):
    depts: np.ndarray          # deciding department
    tid: np.ndarray            # template
    dec: np.ndarray            # decision day (ordinal)
    sub: np.ndarray            # submission day (ordinal)
    sub_s: list[str]           # 报送时间
    subj: dict[str, Any]       # subject columns
    seq: np.ndarray            # running document number
    years: list[int]           # decision year
    src: np.ndarray            # delivering department


def decisions(ctx: Context, rng, kind: str, tag: str, n: int, a: int, b: int,
              templates: Sequence[Any], choices: DomainChoices) -> Decisions:
    """``n`` decisions of ``kind`` between days ``a`` and ``b``, numbered in series ``tag``."""
    depts = ctx.depts(rng, kind, n)
    tid = ctx.templates(rng, depts, choices)
    dec = ctx.decisions(rng, n, a, b)
    sub, sub_s = ctx.submissions(rng, dec)
    subj = subjects(ctx.world, rng, depts, np.array([templates[t].person for t in tid.tolist()]))
    seq = ctx.seq(tag, depts, dec)
    return Decisions(depts, tid, dec, sub, sub_s, subj, seq, years_of(dec).tolist(), ctx.source(rng, depts))
