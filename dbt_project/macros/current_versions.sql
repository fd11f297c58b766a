{#- extracts.md repeats and corrections: one row per record identity (record_key). The
    current version is the one with the latest 报送时间 (then the later file, then the later
    row); timeliness is measured on the identity's earliest 报送时间. -#}

{#- The order that picks the current version: the first wins. (The window sorts on these columns:
    sorted on delivery_rank's struct it ran out of the 2 GB memory bound at 10 M.) -#}
{% macro latest_delivery_first() -%}
    submitted_at desc nulls last, file_path desc, row_number desc
{%- endmacro %}

{#- The same order as one comparable value, for an aggregate: the max wins. -#}
{% macro delivery_rank(alias=none) -%}
    {%- set p = alias ~ '.' if alias else '' -%}
    {'submitted_at': coalesce({{ p }}submitted_at, '-infinity'::timestamp), 'file_path': {{ p }}file_path,
     'row_number': {{ p }}row_number}
{%- endmacro %}

{#- Per identity: its first 报送时间 (a 报送时间 before 1949-10-01 is a typo, not the first), its deliveries and its distinct contents; with_latest, also its
    current delivery (delete_changed_identities compares it with the built row). Callers subtract
    1 from content_version_count outside: `count(distinct ...) - 1` in the aggregate itself ran
    out of the 2 GB memory bound at 10 M. -#}
{% macro identity_stats(relation, with_latest=false) -%}
    select
        record_key,
        min(submitted_at) filter (where submitted_at >= {{ earliest_valid_date() }}) as first_submitted_at,
        count(*) as delivery_count,
        count(distinct content_hash) as content_version_count
        {%- if with_latest %},
        max({{ delivery_rank() }}) as latest_delivery,
        -- a re-delivered file keeps its path and row numbers: its sha256 tells the rows apart
        arg_max(file_sha256, {{ delivery_rank() }}) as latest_file_sha256
        {%- endif %}
    from {{ relation }}
    group by record_key
{%- endmacro %}

{% macro current_versions(relation) -%}
-- the relation is read three times, not through a CTE: DuckDB materialises a CTE used more than
-- once, in memory that cannot spill, and 10 M wide rows ran out of its memory bound
with identity_stats as (
    {{ identity_stats(relation) | indent(4) }}
),

-- ranked on the ordering columns alone, then joined back to the whole rows
latest_rows as (
    select file_path, row_number
    from (select record_key, submitted_at, file_path, row_number from {{ relation }})
    qualify row_number() over (partition by record_key order by {{ latest_delivery_first() }}) = 1
)

select
    deliveries.*,
    identity_stats.first_submitted_at,
    cast(identity_stats.first_submitted_at as date) as first_submitted_date,
    identity_stats.delivery_count,
    identity_stats.content_version_count - 1 as correction_count
from {{ relation }} as deliveries
semi join latest_rows using (file_path, row_number)
join identity_stats using (record_key)
{%- endmacro %}

{#- The current versions (int_<kind>__current) are incremental by record identity, so that
    a batch does not re-rank every delivery. A built row stays while nothing it was computed from
    has changed. Rebuilt are the identities
    - whose deliveries changed: with a delivery in a file staged since the model's last build
      (built_from_files.sql), or, when a file it was built from is gone or was re-delivered with
      other bytes, whose deliveries differ from the built row's (compared by identity_stats, over
      every staged row);
    - whose keying reads the registry (no valid USCC, not a natural person): a legacy code may
      match another entity now;
    - whose as-of checks may flip: a date after the as-of date, or flagged so by an earlier run.
    The SQL and the rules are not compared here: a change to them changes the project's
    fingerprint, and creditwh builds with --full-refresh (creditwh/warehouse/build_state.py). -#}

{#- The config of a current-version model (int_<kind>__current) built from `staged_model`:
    incremental by record identity, deleting before the build what it rebuilds and recording after
    it the staged files it was built from. -#}
{% macro incremental_by_identity(staged_model, kind) -%}
    {%- set staged = "ref('" ~ staged_model ~ "')" -%}
    {{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
              pre_hook="{{ delete_changed_identities(" ~ staged ~ ", '" ~ kind ~ "') }}",
              post_hook="{{ record_built_from(staged_files(" ~ staged ~ ")) }}") }}
{%- endmacro %}

{#- The staged files a current-version model is built from. -#}
{% macro staged_files(staged) -%}
    select distinct file_path, file_sha256 as file_version from {{ staged }}
{%- endmacro %}

{#- Built rows that are rebuilt whatever the batch: their keying or their as-of checks may have
    changed. Keying may change in a model keyed through the registry's legacy codes (its rows say
    keyed_by: keyed_entity_columns); a registration has no as-of checks. -#}
{% macro rebuilt_whatever_the_batch(alias, kind) -%}
    {%- set conditions = [] -%}
    {%- if 'keyed_by' in adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {%- do conditions.append("(" ~ alias ~ ".keyed_by is distinct from 'uscc' and " ~ alias ~ ".subject_type is distinct from '自然人')") -%}
    {%- endif -%}
    {%- for condition, code in after_as_of_checks(alias, kind) -%}
        {%- do conditions.append("coalesce(" ~ condition ~ ", false)") -%}
        {%- do conditions.append("list_position(" ~ alias ~ ".defects, '" ~ code ~ "') is not null") -%}
    {%- endfor -%}
    ({{ conditions | join('\n    or ') if conditions else 'false' }})
{%- endmacro %}

{#- The identities a batch rebuilds when it finds them by its files: those with a delivery in a new
    file, and the built rows rebuilt whatever the batch. -#}
{% macro identities_to_rebuild(staged, kind, new_files) -%}
    select record_key from {{ staged }}
    where list_position({{ varchar_list(new_files) }}, file_path) is not null
    union all
    select built.record_key from {{ this }} as built
    where {{ rebuilt_whatever_the_batch('built', kind) }}
{%- endmacro %}

{#- How this incremental run finds what to rebuild: {'by_files': true, 'new_files': [...],
    'files_to_read': [...]} when every file the model was last built from is still staged with
    the same bytes (a batch only added files), else {'by_files': false} (compare every identity).
    A kind nothing was ever delivered of records no file: it has nothing to compare either. -#}
{% macro current_versions_plan(staged, kind) -%}
    {%- set plan = {'by_files': false, 'new_files': [], 'files_to_read': []} -%}
    {%- set files = files_since_last_build(staged_files(staged)) -%}
    {%- if files is none and execute and run_query(
            'select (select count(*) from ' ~ staged ~ ') + (select count(*) from ' ~ this ~ ')').columns[0].values()[0] == 0 -%}
        {%- set files = {'recorded': [], 'gone': [], 'new': []} -%}
    {%- endif -%}
    {%- if files is not none and not files.gone -%}
        {%- set files_query -%}
            select distinct file_path
            from {{ staged }}
            where record_key in ({{ identities_to_rebuild(staged, kind, files.new) }})
            order by file_path
        {%- endset -%}
        {%- do plan.update({'by_files': true, 'new_files': files.new,
                            'files_to_read': run_query(files_query).columns[0].values() | list}) -%}
    {%- endif -%}
    {{ return(plan) }}
{%- endmacro %}

{#- Before the build: delete the rows of the identities to rebuild, and mark them for the models
    that read this one incrementally (records_to_refresh.sql; all of them when every identity is
    compared). -#}
{% macro delete_changed_identities(staged, kind) -%}
    {%- if is_incremental() -%}
    {%- set plan = current_versions_plan(staged, kind) -%}
    {%- if plan.by_files %}
    {%- set rebuilt -%}
        select '{{ kind }}' as record_kind, record_key from ({{ identities_to_rebuild(staged, kind, plan.new_files) }})
    {%- endset %}
    {{ mark_records_to_refresh(rebuilt) }}
    delete from {{ this }}
    where record_key in ({{ identities_to_rebuild(staged, kind, plan.new_files) }})
    {%- else %}
    {{ mark_records_to_refresh() }}
    delete from {{ this }}
    where record_key in (
        select built.record_key
        from {{ this }} as built
        left join ({{ identity_stats(staged, with_latest=true) }}) as staged using (record_key)
        where staged.record_key is null
           or built.delivery_count <> staged.delivery_count
           or built.first_submitted_at is distinct from staged.first_submitted_at
           or built.correction_count <> staged.content_version_count - 1
           or {{ delivery_rank('built') }} <> staged.latest_delivery
           or built.file_sha256 <> staged.latest_file_sha256
           or {{ rebuilt_whatever_the_batch('built', kind) }}
    )
    {%- endif -%}
    {%- else -%}
    {{ mark_records_to_refresh() }}
    select 'full build: nothing to delete'
    {%- endif -%}
{%- endmacro %}

{#- The staged deliveries to build from: all of them, or on an incremental run those of the
    identities without a row (new ones and the ones delete_changed_identities removed), read from
    the files that hold them when the run found those by its files. -#}
{% macro new_identities(staged, kind) -%}
    {%- if is_incremental() -%}
    {%- set plan = current_versions_plan(staged, kind) -%}
    (select * from {{ staged }} anti join {{ this }} using (record_key)
     {%- if plan.by_files %}
     where list_position({{ varchar_list(plan.files_to_read) }}, file_path) is not null
     {%- endif -%})
    {%- else -%}
    {{ staged }}
    {%- endif -%}
{%- endmacro %}

{#- The dates of each kind's current version that must not lie after the as-of date (rules.md), as
    (column, event) pairs: the defect code is DATE_ORDER:<event>_after_as_of. -#}
{% macro dates_up_to_as_of(kind) -%}
    {%- set event_date = {
        'license': ('decision_date', 'decision'),
        'penalty': ('decision_date', 'decision'),
        'credit_list': ('designated_date', 'designated'),
        'commitment': ('breach_date', 'breach'),
        'repair': ('repair_decision_date', 'repair_decision'),
        'objection': ('accepted_date', 'accepted'),
        'registry': none,
    }[kind] -%}
    {#- a registration's dates are not held against the as-of date -#}
    {{ return([event_date, ('first_submitted_date', 'submission')] if event_date else []) }}
{%- endmacro %}

{#- rules.md: a date after the as-of date is a defect of the record, not of the staged row (staged
    rows stay valid whatever the as-of date): (condition, code) pairs for defect_list. -#}
{% macro after_as_of_checks(alias, kind) -%}
    {%- set checks = [] -%}
    {%- for column, event in dates_up_to_as_of(kind) -%}
        {%- do checks.append((alias ~ "." ~ column ~ " > " ~ as_of_date(), "DATE_ORDER:" ~ event ~ "_after_as_of")) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}

{#- A current version with its as-of defects appended to those staging found. -#}
{% macro with_as_of_defects(alias, kind) -%}
    {{ alias }}.* replace ({{ alias }}.defects || {{ defect_list(after_as_of_checks(alias, kind)) }} as defects)
{%- endmacro %}
