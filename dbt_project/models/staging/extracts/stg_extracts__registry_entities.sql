-- 登记信息 rows that landed: rows with a 统一社会信用代码.
select * exclude (has_identity, raw_text)
from {{ ref('base_extracts__registry') }}
where has_identity
