{{ incremental_by_identity('stg_extracts__registry_entities', 'registry') }}
-- 登记信息: the current registration of every entity (one row per 统一社会信用代码).
-- Incremental by record identity (macros/current_versions.sql): a batch re-ranks the deliveries of
-- the entities it registers again, not every registration.
{{ current_versions(new_identities(ref('stg_extracts__registry_entities'), 'registry')) }}
