{#- Models incremental by delivered file keep a record of the files they were last built from, in
    audit.built_from_files (model, file_path, file_version): a batch then finds its work by the files
    that arrived, changed or went since, not by comparing every row it built. A file's version is
    whatever its rows are computed from (its sha256, and for landing outcomes its status too).
    Written by each model's post-hook, in the model's transaction; a full build writes it as well, so
    an incremental warehouse and its rebuild hold the same record. -#}

{% macro built_from_relation() -%}
    audit.built_from_files
{%- endmacro %}

{#- The files (file_path, file_version) since the model's last build, as lists of paths:
    {'recorded': [...], 'gone': [...], 'new': [...]} ('gone': recorded versions no longer current;
    'new': current versions not recorded; a changed file is in both). None when the model has no
    record (it has never been built, or was built before records were kept). `record`: the name the
    files are recorded under, when the model keeps one record per input (built_from_name). -#}
{% macro files_since_last_build(files_query, record=none) -%}
    {%- set relation = adapter.get_relation(database=this.database, schema='audit', identifier='built_from_files')
                       if execute else none -%}
    {%- if relation is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        with current_files as ({{ files_query }}),
        recorded as (
            select file_path, file_version from {{ built_from_relation() }} where model = '{{ record or this.identifier }}'
        )
        select 'recorded' as what, file_path from recorded
        union all
        select 'gone', file_path from (select * from recorded except select * from current_files)
        union all
        select 'new', file_path from (select * from current_files except select * from recorded)
        order by all
    {%- endset -%}
    {%- set files = {'recorded': [], 'gone': [], 'new': []} -%}
    {%- for what, file_path in run_query(query).rows -%}
        {%- do files[what].append(file_path) -%}
    {%- endfor -%}
    {{ return(files if files.recorded else none) }}
{%- endmacro %}

{#- A list of strings as a SQL list literal: a literal reaches the scan of the table it filters, so
    only the listed files' row groups are read. -#}
{% macro varchar_list(values) -%}
    [{% for value in values %}'{{ value | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor %}]::VARCHAR[]
{%- endmacro %}

{#- on-run-start (dbt_project.yml): the record's table, before models on several threads write to it. -#}
{% macro create_built_from_files() -%}
    create schema if not exists audit;
    create table if not exists {{ built_from_relation() }} (model varchar, file_path varchar, file_version varchar);
    comment on table {{ built_from_relation() }} is 'the delivered files each model incremental by file was last built from (model, file_path, file_version: sha256, and for audit.rejected_rows its landing status): dbt_project/macros/built_from_files.sql';
{%- endmacro %}

{#- Post-hook: the files (a query of file_path, file_version) the model's rows now stand for, under
    `record` (default: the model's name). Rows only (each model its own): models building at once on
    other threads do not conflict. -#}
{% macro record_built_from(files_query, record=none) -%}
    delete from {{ built_from_relation() }} where model = '{{ record or this.identifier }}';
    insert into {{ built_from_relation() }}
    select '{{ record or this.identifier }}', file_path, file_version from ({{ files_query }}) order by all
{%- endmacro %}

{#- The record of a model that reads several kinds' staged rows besides its own input: one per
    staged model, 'model:staged model'. -#}
{% macro built_from_name(staged) -%}
    {{- this.identifier ~ ':' ~ staged.identifier -}}
{%- endmacro %}
