-- 登记信息: the current registration of every entity (one row per 统一社会信用代码).
{{ current_versions(ref('stg_extracts__registry_entities')) }}
