"""Reference implementations of the Chinese identifier checks (see shared/domain/rules.md).

These are pure-Python oracles used by the extract generator and by the tests. The
warehouse itself validates in SQL; these functions are what that SQL must agree with.

* USCC 统一社会信用代码 — GB 32100-2015
* Organisation code 组织机构代码 — GB 11714-1997
* Resident identity number 公民身份号码 — GB 11643-1999

All functions expect already-normalised input (NFKC, trimmed, upper-case); they do not
normalise themselves, so that a lower-case or padded code is reported as invalid.
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "USCC_ALPHABET",
    "USCC_WEIGHTS",
    "USCC_AUTHORITIES",
    "ORG_CODE_WEIGHTS",
    "RIC_WEIGHTS",
    "RIC_CHECK_CHARS",
    "uscc_check_char",
    "org_code_check_char",
    "is_valid_org_code",
    "is_valid_uscc",
    "make_uscc",
    "ric_check_char",
    "is_valid_ric",
    "make_ric",
]

#: GB 32100 character set: digits and upper-case letters without I, O, S, V, Z.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: GB 32100 weights over positions 1-17 (3**i mod 31).
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: GB 32100 registration authorities (登记管理部门代码), position 1.
USCC_AUTHORITIES = "123456789ANY"
#: GB 11714 weights over the 8 body characters.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: GB 11643 weights over the first 17 digits.
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: GB 11643 check character, indexed by (weighted sum mod 11).
RIC_CHECK_CHARS = "10X98765432"

_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_DIGITS = frozenset("0123456789")


def _org_char_value(c: str) -> int:
    """GB 11714 character value: '0'-'9' = 0-9, 'A'-'Z' = 10-35."""
    if c in _DIGITS:
        return ord(c) - 48
    if "A" <= c <= "Z" and len(c) == 1:
        return ord(c) - 55
    raise ValueError(f"invalid organisation code character {c!r}")


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character (position 18) for the first 17 characters.

    check = alphabet[(31 - sum(value_i * weight_i) mod 31) mod 31], where value is the
    character's index in USCC_ALPHABET.
    """
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {len(first17)}")
    try:
        total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not in the USCC alphabet") from None
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """GB 11714-1997 organisation code check character for the 8 body characters.

    check = 11 - (sum(value_i * weight_i) mod 11) with weights 3,7,9,10,5,8,4,2;
    10 is written 'X' and 11 is written '0'.
    """
    if len(first8) != 8:
        raise ValueError(f"expected 8 characters, got {len(first8)}")
    total = sum(_org_char_value(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def is_valid_org_code(code: str) -> bool:
    """True for a 9-character GB 11714 organisation code (8 body characters + check)."""
    if not isinstance(code, str) or len(code) != 9:
        return False
    body, check = code[:8], code[8]
    if not all(c in _DIGITS or "A" <= c <= "Z" for c in body):
        return False
    return org_code_check_char(body) == check


def is_valid_uscc(code: str) -> bool:
    """True for a valid GB 32100-2015 unified social credit code.

    18 characters from USCC_ALPHABET; position 1 (authority) in 1-9, A, N, Y; positions
    3-8 digits (administrative division); positions 9-17 a valid GB 11714 organisation
    code; position 18 the GB 32100 check character. Unlike python-stdnum's ``cn.uscc``,
    codes of authorities A, N and Y are accepted.
    """
    if not isinstance(code, str) or len(code) != 18:
        return False
    if any(c not in _USCC_VALUE for c in code):
        return False
    if code[0] not in USCC_AUTHORITIES:
        return False
    if not code[2:8].isdigit():
        return False
    if not is_valid_org_code(code[8:17]):
        return False
    return uscc_check_char(code[:17]) == code[17]


def make_uscc(authority: str, category: str, region: str, org_body8: str) -> str:
    """Build a fully valid GB 32100 code from its parts.

    ``authority`` (登记管理部门, 1-9/A/N/Y), ``category`` (机构类别, one alphabet character),
    ``region`` (6-digit administrative division code), ``org_body8`` (8 organisation code
    body characters from the USCC alphabet). The GB 11714 check character of the
    organisation code and the GB 32100 check character are computed.
    """
    if len(authority) != 1 or authority not in USCC_AUTHORITIES:
        raise ValueError(f"invalid registration authority {authority!r}")
    if len(category) != 1 or category not in _USCC_VALUE:
        raise ValueError(f"invalid entity category {category!r}")
    if len(region) != 6 or not (region.isascii() and region.isdigit()):
        raise ValueError(f"invalid region code {region!r}")
    if len(org_body8) != 8 or any(c not in _USCC_VALUE for c in org_body8):
        raise ValueError(f"invalid organisation code body {org_body8!r}")
    first17 = authority + category + region + org_body8 + org_code_check_char(org_body8)
    return first17 + uscc_check_char(first17)


def ric_check_char(first17: str) -> str:
    """GB 11643-1999 check character: "10X98765432"[sum(digit_i * weight_i) mod 11]."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum((ord(c) - 48) * w for c, w in zip(first17, RIC_WEIGHTS))
    return RIC_CHECK_CHARS[total % 11]


def _birth_date(digits8: str) -> date | None:
    try:
        return date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        return None


def is_valid_ric(number: str) -> bool:
    """True for a valid 18-character GB 11643-1999 resident identity number.

    6-digit region, 8-digit birth date that is a real calendar date, 3-digit sequence,
    check character (digit or upper-case 'X').
    """
    if not isinstance(number, str) or len(number) != 18:
        return False
    first17, check = number[:17], number[17]
    if not (first17.isascii() and first17.isdigit()):
        return False
    if _birth_date(first17[6:14]) is None:
        return False
    return ric_check_char(first17) == check


def make_ric(region6: str, birth: date, seq3: int) -> str:
    """Build a valid GB 11643 identity number (odd ``seq3`` = male, even = female)."""
    if len(region6) != 6 or not (region6.isascii() and region6.isdigit()):
        raise ValueError(f"invalid region code {region6!r}")
    if not 0 <= seq3 <= 999:
        raise ValueError(f"sequence must be 0-999, got {seq3}")
    first17 = f"{region6}{birth:%Y%m%d}{seq3:03d}"
    return first17 + ric_check_char(first17)
