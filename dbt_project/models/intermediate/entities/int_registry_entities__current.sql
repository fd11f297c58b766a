{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_changed_identities(ref('stg_extracts__registry_entities'), 'registry') }}",
          post_hook="{{ record_built_from(staged_files(ref('stg_extracts__registry_entities'))) }}") }}
-- 登记信息: the current registration of every entity (one row per 统一社会信用代码).
-- Incremental by record identity (macros/current_versions.sql): a batch re-ranks the deliveries of
-- the entities it registers again, not every registration.
{{ current_versions(new_identities(ref('stg_extracts__registry_entities'), 'registry')) }}
