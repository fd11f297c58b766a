-- Legacy codes that identify exactly one registered entity: its 组织机构代码 (USCC positions
-- 9-17) and its 15-digit 注册号. A code shared by two entities keys nobody.
with registry as (
    select entity_uscc, legacy_registration_no
    from {{ ref('int_registry_entities__current') }}
    where {{ is_valid_uscc('entity_uscc') }}
),

codes as (
    select substr(entity_uscc, 9, 9) as legacy_code, 'org_code' as code_kind, entity_uscc from registry
    union all
    select legacy_registration_no, 'registration_no', entity_uscc from registry
    where legacy_registration_no is not null
)

select legacy_code, min(entity_uscc) as entity_code
from codes
group by legacy_code
having count(distinct entity_uscc) = 1
