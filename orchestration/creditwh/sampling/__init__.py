"""双随机抽查 (rules.md, Supervision sampling): draw, for each credit tier, ceil(sampling_ratio × the
tier's population) entities at random from the registered entities (存续 / 在业) of a region, as of
the warehouse's as-of date; reproducible from its seed; every draw logged in audit.sample_log.

    population = load_population(con, "370100")        # SampleError for an unknown region or none
    draw = draw_sample(population, seed=20260331)
    write_sample(draw, Path("抽查名单.xlsx"), purpose="2026年第二季度双随机抽查")
    log_draw(con, SampleLogEntry.of(draw, operator="张科员", purpose="2026年第二季度双随机抽查", out_file=...))
"""

from creditwh.sampling.draw import Draw, Population, SampleError, TierRule, draw_sample, load_population, new_seed
from creditwh.sampling.export import write_sample
from creditwh.sampling.log import SampleLogEntry, ensure_sample_log, log_draw, register_draw

__all__ = [
    "Draw", "Population", "SampleError", "SampleLogEntry", "TierRule", "draw_sample", "ensure_sample_log",
    "load_population", "log_draw", "new_seed", "register_draw", "write_sample",
]
