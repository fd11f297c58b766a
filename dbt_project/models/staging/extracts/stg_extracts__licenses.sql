-- 行政许可 rows that landed: every delivered row with an identity (数据来源单位统一社会信用代码 +
-- 行政许可决定文书号). Rows without one are in audit.rejected_rows instead.
select * exclude (has_identity, raw_text)
from {{ ref('base_extracts__license') }}
where has_identity
