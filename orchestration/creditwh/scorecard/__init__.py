"""双公示 quarterly scorecards (季度评估): rankings, monthly trend and the 问题数据清单 of one
quarter, read from the marts and written as .xlsx, .csv or .html.

    scorecard = load_scorecard(con, "2025Q4", region="370100")
    write_scorecard(scorecard, Path("2025Q4_济南.xlsx"))
"""

from creditwh.scorecard.build import Scorecard, ScorecardError, ScoringRules, load_scorecard
from creditwh.scorecard.export import write_scorecard

__all__ = ["Scorecard", "ScorecardError", "ScoringRules", "load_scorecard", "write_scorecard"]
