-- 整体拒收文件 (rules.md "Rejected deliveries"): every 双公示 file rejected whole, with the department
-- and month it is charged to (audit.extract_files), `unattributed` when it names no single department.
-- The marts are what is published; the bulletin lists these beside rpt_reporting_coverage_monthly.
with extract_files as (
    select * from {{ ref('extract_files') }}
    where status = 'rejected' and kind in ('license', 'penalty')
),

departments as (
    select * from {{ ref('dim_department') }}
),

final as (
    select
        extract_files.file_path,
        extract_files.kind as record_kind,
        extract_files.charged_dept_code,
        departments.source_dept_name as charged_dept_name,
        departments.region_code,
        extract_files.charged_month,
        extract_files.reason
    from extract_files
    left join departments on departments.source_dept_code = extract_files.charged_dept_code
)

select
    *,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
