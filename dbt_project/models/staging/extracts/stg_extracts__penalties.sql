-- 行政处罚 rows that landed: every delivered row with an identity (数据来源单位统一社会信用代码 +
-- 行政处罚决定书文号). Rows without one are in audit.rejected_rows instead.
select * exclude (has_identity, raw_text)
from {{ ref('base_extracts__penalty') }}
where has_identity
