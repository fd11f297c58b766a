-- 信用承诺 rows that landed: rows with an identity (承诺受理单位统一社会信用代码 + subject +
-- 承诺类型 + 承诺事项 + 承诺日期).
select * exclude (has_identity, raw_text)
from {{ ref('base_extracts__commitment') }}
where has_identity
