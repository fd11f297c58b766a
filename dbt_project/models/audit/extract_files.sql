{{ config(alias='extract_files') }}
-- audit.extract_files (marts.md): one row per file seen, and where each of its rows went.
-- For a loaded file rows_read = rows_landed + rows_rejected.

with files as (
    select * from {{ source('extracts', 'extract_files') }}
),

landed_rows as (
    {%- for model in ['stg_extracts__registry_entities', 'stg_extracts__licenses', 'stg_extracts__penalties',
                      'stg_extracts__credit_list_designations', 'stg_extracts__commitments', 'stg_extracts__repairs'] %}
    select file_path, source_dept_code, submitted_at from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

landed as (
    select file_path, count(*) as rows_landed from landed_rows group by file_path
),

rejected as (
    select file_path, count(*) as rows_rejected
    from {{ ref('rejected_rows') }}
    group by file_path
),

-- a file rejected whole: its 数据来源单位统一社会信用代码 and 报送时间 cells, cleaned and parsed as
-- staging cleans and parses them
rejected_file_senders as (
    select
        file_path,
        {{ clean_code(empty_marker_to_null(normalise_text('"数据来源单位统一社会信用代码"'))) }} as source_dept_code,
        {{ parse_cn_timestamp(empty_marker_to_null(normalise_text('"报送时间"'))) }} as submitted_at
    from {{ source('extracts', 'rejected_file_senders') }}
),

-- rules.md "Rejected deliveries": a file is its department's when every data row names the same
-- 数据来源单位统一社会信用代码, and falls in the month of its latest parseable 报送时间. The same rule
-- gives the department and month of a loaded file's rejected rows (over its landed rows).
charges as (
    select
        file_path,
        case when count(distinct source_dept_code) = 1 and count(source_dept_code) = count(*)
            then min(source_dept_code) else 'unattributed' end as charged_dept_code,
        cast(date_trunc('month', max(submitted_at)) as date) as charged_month
    from (
        select * from rejected_file_senders
        union all
        select * from landed_rows
    )
    group by file_path
)

select
    files.file_path,
    files.kind,
    files.sha256,
    files.status,
    files.rows_read,
    coalesce(landed.rows_landed, 0) as rows_landed,
    coalesce(rejected.rows_rejected, 0) as rows_rejected,
    files.reason,
    files.encoding,
    files.reader,
    files.file_order,
    -- a rejected file no row of which could be read (unknown kind, undecodable, …) is nobody's
    case
        when files.status = 'rejected' then coalesce(charges.charged_dept_code, 'unattributed')
        when files.status = 'loaded' then charges.charged_dept_code
    end as charged_dept_code,
    case when files.status in ('rejected', 'loaded') then charges.charged_month end as charged_month
from files
left join landed using (file_path)
left join rejected using (file_path)
left join charges using (file_path)
order by files.file_order
