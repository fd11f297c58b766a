"""Every rate of the generator, in one place to tune.

``RATE_*`` are defects injected with ``messy=True``, per row or per cell; ``FILE_RATE_*`` per
file. ``SHARE_*`` / ``MIN_*`` shape the world in both modes.
"""

# --------------------------------------------------------------------------------------
# Injected defects (messy=True). Row/cell rates unless named FILE_RATE_*.
# --------------------------------------------------------------------------------------
RATE_DATE_VARIANT = 0.03            # a date cell written 2025/3/5, 2025.03.05, 20250305, 2025年3月5日 …
RATE_OPEN_ENDED_9999 = 0.30         # of open-ended validities: 9999-12-31 instead of 长期
RATE_FULLWIDTH_CODE = 0.004         # a code cell in full-width digits/letters (９１３７…)
RATE_LOWERCASE_CODE = 0.004         # a code cell in lower case
RATE_SURROUNDING_SPACES = 0.01      # a text/code cell padded with spaces or U+3000
RATE_EMPTY_MARKER = 0.05            # an empty optional cell written 无 / - / NULL …
RATE_INVALID_USCC_CHECK = 0.004     # subject USCC with a wrong check character
RATE_LEGACY_CODE_ONLY = 0.008       # registered organisation: USCC empty, only 组织机构代码 or 税务登记号
RATE_UNPARSEABLE_DATE = 0.002       # 2025-13-45, 下月, 2025-02-30 …
RATE_SUBMITTED_BEFORE_DECISION = 0.002
RATE_REPEAT = 0.005                 # the identical row delivered again
RATE_CORRECTION = 0.005             # same identity, other content, later 报送时间
RATE_TRICKY_TEXT = 0.005            # commas, double quotes, line breaks inside a cell
RATE_MISSING_IDENTITY = 0.001       # identity column empty (文书号 …) -> rejected row
RATE_INVALID_RIC = 0.003            # identity number with a wrong check digit or birth date
RATE_MISSING_REQUIRED_CELL = 0.005  # a non-identity R cell left empty (incomplete record)
RATE_OUT_OF_LIST_VALUE = 0.002      # 许可类别 / 处罚类别 / 类别 value outside the code list
RATE_BAD_AMOUNT = 0.002             # 罚款金额 not a non-negative number
RATE_OTHER_CATEGORY_SEPARATOR = 0.2  # 处罚类别 joined with ； 、 or , instead of ;
FILE_RATE_GB18030 = 0.25            # file encoded GB18030
FILE_RATE_UTF8_BOM = 0.20           # file encoded UTF-8 with BOM
FILE_RATE_HEADER_VARIANT = 0.30     # header with spaces, full-width parentheses, aliases
FILE_RATE_DROP_OPTIONAL = 0.10      # file that omits a few optional columns

# --------------------------------------------------------------------------------------
# Shape of the world (both modes)
# --------------------------------------------------------------------------------------
SHARE_LICENSE = 0.60                # of the 双公示 records; the rest are penalties
ENTITIES_PER_RECORD = 0.2           # registry size = records / 5 (at least MIN_ENTITIES)
MIN_ENTITIES = 50
SHARE_CREDIT_LIST, MIN_CREDIT_LIST = 0.02, 20
SHARE_COMMITMENT, MIN_COMMITMENT = 0.05, 20
SHARE_REPAIR, MIN_REPAIR = 0.01, 10
SHARE_OBJECTION, MIN_OBJECTION = 0.02, 20  # objections to penalties (异议), of the 双公示 records
SHARE_OBJECTION_OPEN = 0.15         # of the objections: not resolved by the extraction date
SHARE_OBJECTION_OVERDUE = 0.20      # resolved after more than 10 working days
SHARE_SAME_DAY = 0.03               # submitted the day of the decision
SHARE_LATE = 0.12                   # submitted after more than 7 working days
SHARE_DECISION_ON_WORKDAY = 0.93
SHARE_OUTSIDE_REGISTRY = 0.02       # subjects registered elsewhere (valid USCC, no registry row)
SHARE_DELIVERED_BY_CITY = 0.03      # district rows delivered by the city-level counterpart
ROWS_PER_FILE = 200_000
CHUNK_ROWS = 50_000
