"""双公示 monthly bulletins (月度监测通报): 总体情况, 点名通报, 部门排名, 重错码与实时共享, 问题数据清单,
退回文件, 无法归期 and a 12-month trend of one month, read from the marts and written as .xlsx, .csv or .html.

    bulletin = load_bulletin(con, "2026-03", region="370300")
    write_bulletin(bulletin, Path("2026-03_淄博.xlsx"))
"""

from creditwh.bulletin.build import Bulletin, BulletinError, BulletinRules, load_bulletin
from creditwh.bulletin.export import write_bulletin

__all__ = ["Bulletin", "BulletinError", "BulletinRules", "load_bulletin", "write_bulletin"]
