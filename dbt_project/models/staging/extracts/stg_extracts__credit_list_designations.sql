-- 信用名单 designations that landed: rows with an identity (认定部门统一社会信用代码 + 列入决定文书号).
select * exclude (has_identity, raw_text)
from {{ ref('base_extracts__credit_list') }}
where has_identity
