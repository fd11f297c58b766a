{#- Models after the current versions that are incremental by record (int_submissions__working_days,
    fct_disclosure_timeliness, int_penalties__publication_windows, fct_license_publication,
    fct_penalty_publication, their public
    tables, the entities' licences and penalties, and dim_entity; by entity, the credit tier
    evidence and the credit profile, at the end of this file): a batch recomputes the records a
    model upstream rebuilt, not every record. The upstream model writes the keys it rebuilds into audit.records_to_refresh, for each
    model that reads it (record_consumers below), in its pre-hook and so in its own transaction;
    the reader deletes its own in its post-hook, in its transaction. A run that fails between the
    two leaves the keys for the next run. record_kind '*' stands for every record: the upstream
    model was built in full, or compared every identity. A model whose rows hold the as-of date
    (config meta as_of_column) recomputes every record when the date moves.
    The SQL and the rules are not compared here: a change to them changes the project's
    fingerprint, and creditwh builds with --full-refresh (creditwh/warehouse/build_state.py). -#}

{#- Which models read each model's rebuilt records: one place for the chain. -#}
{% macro record_consumers(producer) -%}
    {{ return({
        'int_licenses__current': ['int_submissions__working_days', 'fct_license_publication', 'mart_entity_credit_profile'],
        'int_penalties__current': ['int_submissions__working_days', 'int_penalties__publication_windows',
                                   'fct_penalty_publication', 'mart_entity_credit_profile'],
        'int_credit_list_designations__current': ['mart_entity_credit_profile'],
        'int_commitments__current': ['fct_credit_tier_evidence', 'mart_entity_credit_profile'],
        'int_repairs__current': ['mart_entity_credit_profile'],
        'int_registry_entities__current': ['dim_entity', 'mart_entity_credit_profile'],
        'int_submissions__working_days': ['fct_disclosure_timeliness'],
        'fct_license_publication': ['license_disclosures', 'mart_entity_licenses'],
        'fct_penalty_publication': ['penalty_disclosures', 'mart_entity_penalties', 'fct_credit_tier_evidence',
                                    'mart_entity_credit_profile'],
        'fct_credit_tier_evidence': ['mart_entity_credit_profile'],
    }.get(producer, [])) }}
{%- endmacro %}

{#- The readers keyed by entity (one row set per 统一社会信用代码, incremental by entity below): a
    producer marks for them, beside the records it rebuilds, the entities its rows of those records
    named before the rebuild (record_kind 'entity'), for a record re-keyed leaves its old entity. -#}
{% macro is_entity_consumer(consumer) -%}
    {{ return(consumer in ['fct_credit_tier_evidence', 'mart_entity_credit_profile']) }}
{%- endmacro %}

{#- The column naming the entity of a producer's rows; none where the record is the entity (a
    registration, keyed by its 统一社会信用代码): its marks are the entities themselves. -#}
{% macro entity_column_of(producer) -%}
    {{ return({'int_registry_entities__current': none}.get(producer, 'entity_code')) }}
{%- endmacro %}

{% macro records_to_refresh_relation() -%}
    audit.records_to_refresh
{%- endmacro %}

{#- on-run-start (dbt_project.yml), beside create_built_from_files. -#}
{% macro create_records_to_refresh() -%}
    create schema if not exists audit;
    create table if not exists {{ records_to_refresh_relation() }} (consumer varchar, record_kind varchar, record_key varchar);
    comment on table {{ records_to_refresh_relation() }} is 'records a model rebuilt that a model reading it incrementally has not recomputed yet (consumer, record_kind, record_key; ''*'' for all); empty after a successful run: dbt_project/macros/records_to_refresh.sql';
{%- endmacro %}

{#- Pre-hook of an upstream model: the records it rebuilds (`records`, a query of record_kind,
    record_key; none for all of them), for every model that reads it. -#}
{% macro mark_records_to_refresh(records=none) -%}
    {%- for consumer in record_consumers(this.identifier) %}
    insert into {{ records_to_refresh_relation() }}
    {% if records is none -%}
    values ('{{ consumer }}', '*', '*')
    {%- elif is_entity_consumer(consumer) and not entity_column_of(this.identifier) -%}
    select distinct '{{ consumer }}', 'entity', record_key from ({{ records }})
    {%- else -%}
    select distinct '{{ consumer }}', record_kind, record_key from ({{ records }})
    {%- if is_entity_consumer(consumer) %}
    union
    select '{{ consumer }}', 'entity', built.{{ entity_column_of(this.identifier) }} from {{ this }} as built
    where built.{{ entity_column_of(this.identifier) }} is not null
      and built.record_key in (select record_key from ({{ records }}) where record_kind <> 'entity')
    {%- endif -%}
    {%- endif -%};
    {%- endfor %}
{%- endmacro %}

{#- Whether this incremental run recomputes only marked records (true) or every one (false: a
    full build, '*' marked, or the as-of date moved since the rows were built). -#}
{% macro refreshes_marked_records_only() -%}
    {#- a dbt unit test renders the model with no relation of its own (this is none) -#}
    {%- if this is none or not execute or not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set as_of_column = (config.get('meta') or {}).get('as_of_column') -%}
    {%- set query -%}
        select (select count(*) from {{ records_to_refresh_relation() }}
                where consumer = '{{ this.identifier }}' and record_kind = '*')
        {%- if as_of_column %}
             + (select count(*) from (select 1 from {{ this }}
                where {{ as_of_column }} is distinct from {{ as_of_date() }} limit 1))
        {%- endif %}
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0] == 0) }}
{%- endmacro %}

{#- The (record_kind, record_key) marked for this model. -#}
{% macro records_marked_for_refresh() -%}
    select distinct record_kind, record_key from {{ records_to_refresh_relation() }}
    where consumer = '{{ this.identifier }}'
{%- endmacro %}

{#- A reader's filter on an input of record kind `kind` (record_key): on an incremental run, the
    records marked for it; none on a full build, or when everything is marked. -#}
{% macro where_marked_for_refresh(kind) -%}
    {%- if refreshes_marked_records_only() -%}
    where {{ is_marked_for_refresh(kind) }}
    {%- endif -%}
{%- endmacro %}

{#- A condition on a row of record kind `kind` (record_key): its record is marked for this model. -#}
{% macro is_marked_for_refresh(kind) -%}
    record_key in (
        select record_key from {{ records_to_refresh_relation() }}
        where consumer = '{{ this.identifier }}' and record_kind = '{{ kind }}'
    )
{%- endmacro %}

{#- A reader keyed otherwise than by record (a public table, keyed as the public sees it): the
    values of `key_columns` (SQL expressions) in `source`, the model it reads the records from, for
    the records of kind `kind` marked for it. -#}
{% macro keys_marked_for_refresh(source, kind, key_columns) -%}
    select {{ key_columns | join(', ') }} from {{ source }}
    where {{ is_marked_for_refresh(kind) }}
{%- endmacro %}

{#- Pre-hook of a public table incremental by record (license_disclosures, penalty_disclosures): its
    rows of the records of kind `kind` that `source`, the fact it publishes, recomputed, found by the
    record's identity as published (数据来源单位统一社会信用代码 + 决定文书号, both redacted). -#}
{% macro delete_published_records_to_refresh(source, kind) -%}
    {{ delete_records_to_refresh(key='(source_dept_code, doc_no)',
                                 marked_keys=keys_marked_for_refresh(source, kind, [public_text('source_dept_code'), public_text('doc_no')])) }}
{%- endmacro %}

{#- Pre-hook of a reader: delete its rows of the records it recomputes: the marked ones (its rows
    whose `key` is in `marked_keys`, when it is not keyed by record_kind, record_key), and those
    that meet `always` (a condition on its rows, for inputs it recomputes whole every run); every
    row when everything is marked. -#}
{% macro delete_records_to_refresh(always=none, key='(record_kind, record_key)', marked_keys=none) -%}
    {%- if refreshes_marked_records_only() -%}
    delete from {{ this }}
    where {% if always %}({{ always }}) or {% endif %}{{ key }} in ({{ marked_keys or records_marked_for_refresh() }})
    {%- elif is_incremental() -%}
    delete from {{ this }}
    {%- else -%}
    select 'full build: nothing to delete'
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of a reader that is read incrementally in turn: the records marked for it, passed on,
    and `also` (a query of record_kind, record_key: the records it recomputes for an input of its
    own that its readers do not read). Not the rows it recomputes whole every run: a reader of
    those recomputes them whole too. -#}
{% macro pass_on_records_to_refresh(also=none) -%}
    {%- if refreshes_marked_records_only() -%}
    {{ mark_records_to_refresh(records_marked_for_refresh() ~ ((' union ' ~ also) if also else '')) }}
    {%- else -%}
    {{ mark_records_to_refresh() }}
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of a reader: it has recomputed what was marked for it. -#}
{% macro consume_records_to_refresh() -%}
    delete from {{ records_to_refresh_relation() }} where consumer = '{{ this.identifier }}'
{%- endmacro %}

{#- For a model incremental by record that reads another kind's staged rows naming its records
    (objections, repairs): a condition on its rows' `names` (columns) that holds when a row staged
    in `staged` since the model's last build may name the record by `staged_names`. Every delivery
    of such a staged record counts, for an earlier one may have named another record. True for all
    on a full build, or when a file of `staged` the model was built from is gone or was re-delivered
    with other bytes. The model records its files with record_built_from_staged(staged), in a full
    build too: no record means it was built from none, and every staged row is new to it. -#}
{% macro staged_changes_reach(staged, names, staged_names) -%}
    {%- set files = files_since_last_build(staged_files(staged), built_from_name(staged)) if is_incremental() else none -%}
    {%- if not is_incremental() or (files is not none and files.gone) -%}
    true
    {%- elif files is not none and not files.new -%}
    false
    {%- else -%}
    ({{ names | join(', ') }}) in (
        select {{ staged_names | join(', ') }} from {{ staged }}
        {%- if files is not none %}
        where record_key in (
            select record_key from {{ staged }} where list_position({{ varchar_list(files.new) }}, file_path) is not null)
        {%- endif %})
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of a model using staged_changes_reach: the files of `staged` its rows now stand for. -#}
{% macro record_built_from_staged(staged) -%}
    {{ record_built_from(staged_files(staged), built_from_name(staged)) }}
{%- endmacro %}

{#- The records (record_kind `kind`, record_key) of this model's rows that `reach` (a condition on
    them, e.g. objection_changes_reach()) holds for: what it recomputes beyond the marked records. -#}
{% macro records_reached_by(kind, reach) -%}
    select '{{ kind }}' as record_kind, record_key from {{ this }} where {{ reach }}
{%- endmacro %}

{#- Models incremental by entity (fct_credit_tier_evidence, mart_entity_credit_profile): a run
    recomputes every row of the entities something they read changed for, not every entity. Which
    entities: those of the records marked for the model (their entity now, read from `relations`,
    {record_kind: a relation holding the record's entity_code}; and the one before, marked by the
    producer), the
    entities marked as such ('entity': passed on), and `changed` (a query of entity_code: for an input
    rebuilt whole and small, the entities whose rows of it differ from the built ones). The list is
    written down before the build (resolve_entities_to_refresh), for the rows of `changed` are gone
    once the pre-hook deletes them. Every entity on a full build, when everything is marked, or when
    the as-of date moved (both models hold it). -#}

{#- Pre-hook of a model incremental by entity, before anything deletes: the entities it recomputes,
    as record_kind 'entity'. -#}
{% macro resolve_entities_to_refresh(relations, changed=none) -%}
    {%- if refreshes_marked_records_only() -%}
    insert into {{ records_to_refresh_relation() }}
    select distinct '{{ this.identifier }}', 'entity', entity_code from (
        {%- for kind, relation in relations.items() %}
        select entity_code from {{ relation }} where {{ is_marked_for_refresh(kind) }}
        union all
        {%- endfor %}
        {%- if changed %}
        select entity_code from ({{ changed }})
        union all
        {%- endif %}
        select record_key from {{ records_to_refresh_relation() }}
        where consumer = '{{ this.identifier }}' and record_kind = 'entity'
    )
    where entity_code is not null
    {%- else -%}
    select 'every entity is recomputed'
    {%- endif -%}
{%- endmacro %}

{#- A condition on an input's rows: its entity (`column`) is recomputed by this run. -#}
{% macro entity_recomputed(column='entity_code') -%}
    {%- if refreshes_marked_records_only() -%}
    {{ column }} in (
        select record_key from {{ records_to_refresh_relation() }}
        where consumer = '{{ this.identifier }}' and record_kind = 'entity')
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- The entities whose rows of `rows` (a query of entity_code and the columns that matter) differ
    from `built` (the same columns of this model's rows): either side's. -#}
{% macro entities_differing(rows, built) -%}
    {%- if is_incremental() -%}
    select entity_code from (
        (select * from ({{ rows }}) except select * from ({{ built }}))
        union all
        (select * from ({{ built }}) except select * from ({{ rows }})))
    {%- else -%}
    select null as entity_code where false
    {%- endif -%}
{%- endmacro %}

{#- The config of a model incremental by entity: before the build, the entities to recompute found
    (resolve_entities_to_refresh; `relations` and `changed` are Jinja expressions for its arguments,
    rendered when the hooks run) and passed on, and their rows deleted. -#}
{% macro incremental_by_entity(relations, changed='none') -%}
    {{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
              meta={'as_of_column': 'as_of_date'},
              pre_hook=["{{ resolve_entities_to_refresh(" ~ relations ~ ", " ~ changed ~ ") }}",
                        "{{ pass_on_records_to_refresh() }}",
                        "{{ delete_records_to_refresh(key=\"('entity', entity_code)\") }}"],
              post_hook=["{{ consume_records_to_refresh() }}"]) }}
{%- endmacro %}
