{{ config(alias='rejected_rows') }}
-- audit.rejected_rows (marts.md): every delivered row that did not land, with its file, the
-- physical line where it starts (header = 1), why, and its text with identity numbers masked.
{%- set kinds = [
    ('registry', '统一社会信用代码'),
    ('license', '数据来源单位统一社会信用代码, 行政许可决定文书号'),
    ('penalty', '数据来源单位统一社会信用代码, 行政处罚决定书文号'),
    ('credit_list', '认定部门统一社会信用代码, 列入决定文书号'),
    ('commitment', '承诺受理单位统一社会信用代码, 承诺主体, 承诺类型, 承诺事项, 承诺日期'),
    ('repair', '关联机关统一社会信用代码, 关联文书号, 修复类型, 修复决定日期'),
] %}

with parse_rejects as (
    select file_path, line_number, reason, raw_text
    from {{ source('extracts', 'parse_rejects') }}
),

{% for kind, identity in kinds %}
missing_identity_{{ kind }} as (
    select
        file_path,
        line_number,
        'MISSING_IDENTITY: a record identity column is empty or unparseable ({{ identity }})' as reason,
        raw_text
    from {{ ref('base_extracts__' ~ kind) }}
    where not has_identity
),
{% endfor %}

unioned as (
    select * from parse_rejects
    {%- for kind, _ in kinds %}
    union all
    select * from missing_identity_{{ kind }}
    {%- endfor %}
)

select * from unioned
order by file_path, line_number
