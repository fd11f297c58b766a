-- 信用修复 rows that landed: rows with an identity (关联机关统一社会信用代码 + 关联文书号 + 修复类型 +
-- 修复决定日期).
select * exclude (has_identity, raw_text)
from {{ ref('base_extracts__repair') }}
where has_identity
