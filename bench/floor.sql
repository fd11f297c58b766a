-- The floor: rpt_timeliness_quarterly computed by hand in one DuckDB script, straight from the
-- extract files — no orchestration, no gates, no intermediate tables kept, no personal-data
-- keying. The benchmark runs it on the same `creditgen --clean` extracts (UTF-8,
-- canonical headers) as the pipeline and checks that both give the same scorecard.
--
-- Placeholders, filled in by bench/floor.py from the dbt project's vars:
--   {license_source} {penalty_source} {calendar_csv} {as_of} {deadline} {w_timeliness} {w_compliance}
--   {w_completeness} {grade_case} {late_share}
-- The sources are read_csv of the extract files (the one-pass floor) or the tables the landing
-- floor scanned them into (the per-step floors, which run the script a section at a time).

-- step: setup

CREATE MACRO cleaned(v) AS nullif(nullif(nullif(nullif(nullif(trim(v), ''), '无'), '/'), '-'), 'NULL');

CREATE MACRO uscc_value(c, i) AS strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, i, 1)) - 1;
CREATE MACRO org_value(c, i) AS strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(c, i, 1)) - 1;
CREATE MACRO is_org_code(c) AS coalesce(CASE WHEN regexp_full_match(c, '[0-9A-Z]{{8}}[0-9X]') THEN
    substr(c, 9, 1) = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0'][(11 - ((
        3 * org_value(c, 1) + 7 * org_value(c, 2) + 9 * org_value(c, 3) + 10 * org_value(c, 4)
        + 5 * org_value(c, 5) + 8 * org_value(c, 6) + 4 * org_value(c, 7) + 2 * org_value(c, 8)) % 11)) + 1]
    END, false);
CREATE MACRO is_uscc(c) AS coalesce(CASE WHEN regexp_full_match(c, '[1-9ANY][0-9A-HJ-NP-RTUW-Y][0-9]{{6}}[0-9A-HJ-NP-RTUW-Y]{{10}}') THEN
    substr(c, 18, 1) = substr('0123456789ABCDEFGHJKLMNPQRTUWXY', ((31 - ((
        1 * uscc_value(c, 1) + 3 * uscc_value(c, 2) + 9 * uscc_value(c, 3) + 27 * uscc_value(c, 4)
        + 19 * uscc_value(c, 5) + 26 * uscc_value(c, 6) + 16 * uscc_value(c, 7) + 17 * uscc_value(c, 8)
        + 20 * uscc_value(c, 9) + 29 * uscc_value(c, 10) + 25 * uscc_value(c, 11) + 13 * uscc_value(c, 12)
        + 8 * uscc_value(c, 13) + 24 * uscc_value(c, 14) + 10 * uscc_value(c, 15) + 30 * uscc_value(c, 16)
        + 28 * uscc_value(c, 17)) % 31)) % 31) + 1, 1)
    AND is_org_code(substr(c, 9, 9))
    END, false);
CREATE MACRO ric_digit(c, i) AS TRY_CAST(substr(c, i, 1) AS INTEGER);
CREATE MACRO is_ric(c) AS coalesce(CASE WHEN regexp_full_match(c, '[0-9]{{17}}[0-9X]')
        AND try_strptime(substr(c, 7, 8), '%Y%m%d') IS NOT NULL THEN
    substr(c, 18, 1) = substr('10X98765432', ((
        7 * ric_digit(c, 1) + 9 * ric_digit(c, 2) + 10 * ric_digit(c, 3) + 5 * ric_digit(c, 4)
        + 8 * ric_digit(c, 5) + 4 * ric_digit(c, 6) + 2 * ric_digit(c, 7) + 1 * ric_digit(c, 8)
        + 6 * ric_digit(c, 9) + 3 * ric_digit(c, 10) + 7 * ric_digit(c, 11) + 9 * ric_digit(c, 12)
        + 10 * ric_digit(c, 13) + 5 * ric_digit(c, 14) + 8 * ric_digit(c, 15) + 4 * ric_digit(c, 16)
        + 2 * ric_digit(c, 17)) % 11) + 1, 1)
    END, false);
-- ISO dates and times only: the clean extracts carry nothing else.
CREATE MACRO as_date(v) AS CAST(try_strptime(cleaned(v), ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M']) AS DATE);
CREATE MACRO as_time(v) AS try_strptime(cleaned(v), ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d']);

-- step: staging
CREATE TABLE records AS
WITH licenses AS (
    SELECT
        'license' AS kind, filename, cleaned("数据来源单位统一社会信用代码") AS dept, cleaned("报送时间") AS submitted_text,
        cleaned("行政许可决定文书号") AS doc_no, cleaned("许可决定日期") AS decision_text,
        cleaned("行政相对人类别") AS subject_type, upper(cleaned("统一社会信用代码")) AS uscc,
        cleaned("法定代表人") AS legal_rep, cleaned("证件类型") AS id_type, upper(cleaned("证件号码")) AS id_no,
        upper(cleaned("许可机关统一社会信用代码")) AS authority_code,
        -- every other R column of a licence, and its code-list / date rules
        [cleaned("数据来源单位"), cleaned("行政相对人名称"), cleaned("行政许可决定文书名称"), cleaned("许可类别"),
         cleaned("许可内容"), cleaned("有效期自"), cleaned("有效期至"), cleaned("许可机关")] AS other_required,
        cleaned("许可类别") IN ('普通', '特许', '认可', '核准', '登记', '其他') OR starts_with(cleaned("许可类别"), '其他-')
            OR cleaned("许可类别") IS NULL AS codes_ok,
        coalesce(cleaned("当前状态"), '有效') IN ('有效', '无效') AS status_ok,
        (cleaned("有效期自") IS NULL OR as_date("有效期自") IS NOT NULL)
            AND (cleaned("有效期至") IS NULL OR cleaned("有效期至") IN ('长期', '9999-12-31') OR as_date("有效期至") IS NOT NULL)
            AND NOT coalesce(as_date("有效期自") > as_date("有效期至"), false) AS dates_ok,
        true AS amounts_ok,
        true AS fine_present
    FROM {license_source}
),
penalties AS (
    SELECT
        'penalty' AS kind, filename, cleaned("数据来源单位统一社会信用代码"), cleaned("报送时间"),
        cleaned("行政处罚决定书文号"), cleaned("处罚决定日期"),
        cleaned("行政相对人类别"), upper(cleaned("统一社会信用代码")),
        cleaned("法定代表人"), cleaned("证件类型"), upper(cleaned("证件号码")),
        upper(cleaned("处罚机关统一社会信用代码")),
        [cleaned("数据来源单位"), cleaned("行政相对人名称"), cleaned("违法行为类型"), cleaned("违法事实"),
         cleaned("处罚依据"), cleaned("处罚类别"), cleaned("处罚内容"), cleaned("处罚机关")],
        list_bool_and(list_transform(string_split_regex(coalesce(cleaned("处罚类别"), '罚款'), '[;；、,，]'),
            lambda c: trim(c) IN ('警告', '通报批评', '罚款', '没收违法所得', '没收非法财物', '暂扣许可证件',
                '降低资质等级', '吊销许可证件', '限制开展生产经营活动', '责令停产停业', '责令关闭', '限制从业',
                '行政拘留', '其他') OR starts_with(trim(c), '其他-')))
            AND (cleaned("失信程度") IS NULL OR cleaned("失信程度") IN ('轻微', '一般', '严重')),
        coalesce(cleaned("记录状态"), '正常') IN ('正常', '撤销'),
        (cleaned("处罚有效期") IS NULL OR as_date("处罚有效期") IS NOT NULL)
            AND (cleaned("公示截止期") IS NULL OR as_date("公示截止期") IS NOT NULL),
        (cleaned("罚款金额(万元)") IS NULL OR TRY_CAST(cleaned("罚款金额(万元)") AS DECIMAL(18, 6)) >= 0)
            AND (cleaned("没收违法所得、没收非法财物的金额(万元)") IS NULL
                 OR TRY_CAST(cleaned("没收违法所得、没收非法财物的金额(万元)") AS DECIMAL(18, 6)) >= 0),
        NOT (cleaned("处罚类别") LIKE '%罚款%' AND cleaned("罚款金额(万元)") IS NULL)
    FROM {penalty_source}
)
SELECT *, as_time(submitted_text) AS submitted_at, as_date(decision_text) AS decision_date
FROM (SELECT * FROM licenses UNION ALL SELECT * FROM penalties)
WHERE dept IS NOT NULL AND doc_no IS NOT NULL;

-- step: downstream
CREATE TABLE calendar AS
SELECT calendar_date, sum(is_working_day::INTEGER) OVER (ORDER BY calendar_date) AS working_day_number
FROM read_csv('{calendar_csv}', columns = {{'calendar_date': 'DATE', 'is_working_day': 'BOOLEAN'}}, header = true);

-- One row per identity: the latest delivery's content, timed on the earliest submission.
CREATE TABLE identities AS
SELECT
    *,
    min(submitted_at) OVER (PARTITION BY kind, dept, doc_no) AS first_submitted_at
FROM records
QUALIFY row_number() OVER (PARTITION BY kind, dept, doc_no ORDER BY submitted_at DESC NULLS LAST, filename DESC) = 1;

CREATE TABLE measured AS
SELECT
    i.kind, i.dept,
    CAST(i.first_submitted_at AS DATE) AS submitted_date,
    coalesce(CASE WHEN i.decision_date <= CAST(i.first_submitted_at AS DATE)
        THEN s.working_day_number - d.working_day_number END <= {deadline}, false) AS is_on_time,
    -- 完整: every R column of the kind and subject type is there
    list_bool_and(list_transform(i.other_required, lambda v: v IS NOT NULL))
        AND i.dept IS NOT NULL AND i.submitted_text IS NOT NULL AND i.decision_text IS NOT NULL
        AND i.authority_code IS NOT NULL AND i.subject_type IS NOT NULL
        AND (coalesce(i.subject_type, '') = '自然人' OR i.uscc IS NOT NULL)
        AND (coalesce(i.subject_type, '') <> '法人及非法人组织' OR i.legal_rep IS NOT NULL)
        AND (coalesce(i.subject_type, '') <> '自然人' OR (i.id_type IS NOT NULL AND i.id_no IS NOT NULL))
        AND i.fine_present AS is_complete,
    -- 合规: every present value well-formed
    i.codes_ok AND i.status_ok AND i.dates_ok AND i.amounts_ok
        AND (i.subject_type IS NULL OR i.subject_type IN ('法人及非法人组织', '自然人', '个体工商户'))
        AND (i.uscc IS NULL OR is_uscc(i.uscc))
        AND (coalesce(i.subject_type, '') <> '自然人' OR i.id_no IS NULL
             OR NOT coalesce(i.id_type IN ('身份证', '居民身份证', '中华人民共和国居民身份证'), true) OR is_ric(i.id_no))
        AND (i.authority_code IS NULL OR is_uscc(i.authority_code))
        AND is_uscc(i.dept)
        AND (i.submitted_text IS NULL OR i.submitted_at IS NOT NULL)
        AND (i.decision_text IS NULL OR i.decision_date IS NOT NULL)
        AND NOT coalesce(i.decision_date > CAST(i.first_submitted_at AS DATE), false)
        AND NOT coalesce(i.decision_date > DATE '{as_of}', false) AS is_compliant
FROM identities AS i
LEFT JOIN calendar AS d ON d.calendar_date = i.decision_date
LEFT JOIN calendar AS s ON s.calendar_date = CAST(i.first_submitted_at AS DATE);

CREATE TABLE rpt_timeliness_quarterly AS
WITH counted AS (
    SELECT
        year(submitted_date) || 'Q' || quarter(submitted_date) AS period_quarter,
        dept AS source_dept_code,
        count(*) AS records,
        count(*) FILTER (WHERE is_on_time) AS on_time_records,
        count(*) FILTER (WHERE is_compliant) / count(*) AS compliance_rate,
        count(*) FILTER (WHERE is_complete) / count(*) AS completeness_rate
    FROM measured
    WHERE submitted_date IS NOT NULL
    GROUP BY ALL
),
scored AS (
    SELECT
        *,
        on_time_records / records AS timeliness_rate,
        round(100 * ({w_timeliness} * on_time_records / records + {w_compliance} * compliance_rate
                     + {w_completeness} * completeness_rate), 6) AS score
    FROM counted
)
SELECT
    period_quarter, source_dept_code, records, on_time_records, timeliness_rate, compliance_rate,
    completeness_rate, score,
    rank() OVER (PARTITION BY period_quarter ORDER BY score DESC) AS rank,
    {grade_case} AS grade,
    (records - on_time_records) > {late_share} * records AS needs_rectification
FROM scored;
