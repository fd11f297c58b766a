{#- audit.rejected_rows is incremental by file (models/audit/rejected_rows.sql). A file's rejected
    rows depend on its bytes (sha256) and on how it was landed (status: a duplicate lands nothing,
    and becomes the loaded copy when the first goes). -#}

{% macro landed_files() -%}
    select file_path, sha256 || '/' || status as file_version from {{ source('extracts', 'extract_files') }}
{%- endmacro %}

{#- A filter to the files to build: every file on a full build or without a record, else the new ones. -#}
{% macro rejected_rows_of(files, keyword='where') -%}
    {%- if files is not none -%}
    {{ keyword }} list_position({{ varchar_list(files.new) }}, file_path) is not null
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: delete the rows of the files that changed or went since the last build (all rows when
    the model has no record: it is rebuilt whole). -#}
{% macro delete_rejected_rows_of_changed_files() -%}
    {%- if is_incremental() -%}
    {%- set files = files_since_last_build(landed_files()) -%}
    delete from {{ this }}
    {%- if files is not none %}
    where list_position({{ varchar_list(files.gone + files.new) }}, file_path) is not null
    {%- endif -%}
    {%- else -%}
    select 'full build: nothing to delete'
    {%- endif -%}
{%- endmacro %}
