{#- Staging every kind incrementally, one delivered file at a time (a monthly batch must not
    cost a rebuild). A landed file is its (path, sha256): a run stages the rows of the loaded
    files not staged yet, after deleting the rows of files that are gone or were re-delivered
    with other bytes. Row-level staging reads nothing but the row, the code lists and the rules
    in dbt_project.yml; when those change, `creditwh run` passes --full-refresh (see
    creditwh/warehouse/build_state.py). -#}

{% macro delete_rows_of_unlanded_files() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where file_path || chr(0) || file_sha256 not in (
        select file_path || chr(0) || sha256 from {{ source('extracts', 'extract_files') }} where status = 'loaded'
    )
    {%- else -%}
    select 'full build: nothing to delete'
    {%- endif -%}
{%- endmacro %}

{#- The files to stage this run, as a SQL list literal. A literal (not a subquery) so that the
    filter reaches the raw table's scan: only the new files' rows are cleaned and parsed. -#}
{% macro files_to_stage(kind) -%}
    {%- set query -%}
        select files.file_path
        from {{ source('extracts', 'extract_files') }} as files
        where files.status = 'loaded' and files.kind = '{{ kind }}'
          and not exists (
              select 1 from {{ this }} as staged
              where staged.file_path = files.file_path and staged.file_sha256 = files.sha256
          )
        order by files.file_path
    {%- endset -%}
    {%- set paths = run_query(query).columns[0].values() if execute else [] -%}
    [{% for path in paths %}'{{ path | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor %}]::VARCHAR[]
{%- endmacro %}

{#- One kind's staged rows: every delivered row with an identity, with its file's sha256. -#}
{% macro staged_rows_by_file(kind) -%}
select records.* exclude (has_identity, raw_text), files.sha256 as file_sha256
from {{ ref('base_extracts__' ~ kind) }} as records
join {{ source('extracts', 'extract_files') }} as files using (file_path)
where records.has_identity
{%- if is_incremental() %}
  and list_position({{ files_to_stage(kind) }}, records.file_path) is not null
{%- endif %}
{%- endmacro %}
