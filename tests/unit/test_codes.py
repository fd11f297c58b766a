"""creditwh.codes: the identifier oracles (GB 32100, GB 11714, GB 11643)."""

import random
from datetime import date

import pytest
from stdnum.cn import uscc as stdnum_uscc

from creditwh.codes import (
    USCC_ALPHABET,
    is_valid_org_code,
    is_valid_ric,
    is_valid_uscc,
    make_ric,
    make_uscc,
    org_code_check_char,
    ric_check_char,
    uscc_check_char,
)


# --- USCC (GB 32100-2015) --------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "91110000802100433B",   # a real enterprise code (authority 9, category 1)
    "91370102MA3C123469",   # new-style organisation code MA…
    "N2370112MA3D000124",   # authority N (农业): village collective; python-stdnum rejects it
    "Y13703031234567881",   # authority Y (其他)
])
def test_valid_usccs(code):
    assert is_valid_uscc(code)


def test_wrong_check_character_is_invalid():
    good = "91370102MA3C123469"
    for c in USCC_ALPHABET:
        if c != good[17]:
            assert not is_valid_uscc(good[:17] + c)


def test_valid_check_character_but_bad_embedded_org_code_is_invalid():
    good = "91370102MA3C123469"          # org code MA3C1234-6
    tampered17 = good[:16] + "7"         # org check 6 -> 7
    code = tampered17 + uscc_check_char(tampered17)
    assert code[17] == uscc_check_char(code[:17])   # the GB 32100 check passes…
    assert not is_valid_org_code(code[8:17])        # …the GB 11714 check does not
    assert not is_valid_uscc(code)


@pytest.mark.parametrize("code", [
    "91370102ma3c123469",   # lower case (normalising is the caller's job)
    "91370102MA3C12346",    # 17 characters
    "91370102MA3C1234699",  # 19 characters
    "01370102MA3C123469",   # authority 0 does not exist
    "B1370102MA3C123469",   # authority B does not exist
    "91370102MA3CI23469",   # I is not in the alphabet
    "",
])
def test_malformed_usccs(code):
    assert not is_valid_uscc(code)


def test_not_a_string():
    assert not is_valid_uscc(None)  # type: ignore[arg-type]
    assert not is_valid_ric(None)   # type: ignore[arg-type]


def test_make_uscc_builds_the_parts():
    code = make_uscc("9", "2", "370303", "MA3F2Y7K")
    assert code.startswith("92370303MA3F2Y7K")
    assert code[16] == org_code_check_char("MA3F2Y7K")
    assert is_valid_uscc(code)
    assert make_uscc("1", "1", "370100", "00418801").startswith("11370100")


@pytest.mark.parametrize("args", [
    ("0", "1", "370100", "12345678"),   # bad authority
    ("9", "1", "3701", "12345678"),     # short region
    ("9", "1", "370100", "1234567"),    # short body
    ("9", "1", "370100", "1234567I"),   # I not allowed
])
def test_make_uscc_rejects_bad_parts(args):
    with pytest.raises(ValueError):
        make_uscc(*args)


def test_agrees_with_python_stdnum_for_numeric_authorities():
    rnd = random.Random(7)
    for _ in range(300):
        body = "".join(rnd.choice(USCC_ALPHABET) for _ in range(8))
        code = make_uscc(rnd.choice("123456789"), rnd.choice("123"), f"{rnd.randrange(10**6):06d}", body)
        assert stdnum_uscc.is_valid(code)
        bad = code[:17] + USCC_ALPHABET[(USCC_ALPHABET.index(code[17]) + 1) % 31]
        assert not stdnum_uscc.is_valid(bad) and not is_valid_uscc(bad)


# --- organisation code (GB 11714-1997) ---------------------------------------------------

def test_org_code_check_characters():
    assert org_code_check_char("D2143569") == "X"   # the standard's example D2143569-X (10 -> X)
    assert org_code_check_char("00000000") == "0"   # 11 -> 0
    assert org_code_check_char("MA3C1234") == "6"
    assert is_valid_org_code("D2143569X")
    assert not is_valid_org_code("D21435691")


# --- resident identity number (GB 11643-1999) ---------------------------------------------

def test_known_valid_identity_number():
    assert ric_check_char("11010519491231002") == "X"
    assert is_valid_ric("11010519491231002X")


def test_identity_number_with_wrong_check_or_lower_case_x():
    assert not is_valid_ric("110105194912310021")
    assert not is_valid_ric("11010519491231002x")


def test_identity_number_with_impossible_birth_date():
    first17 = "370102" + "19990230" + "123"
    number = first17 + ric_check_char(first17)   # the check digit is right…
    assert not is_valid_ric(number)              # …but 30 February does not exist


def test_identity_number_shapes():
    assert not is_valid_ric("11010519491231002")     # 17
    assert not is_valid_ric("１１０１０５１９４９１２３１００２Ｘ")  # full-width digits
    assert not is_valid_ric("A1010519491231002X")


def test_make_ric():
    assert make_ric("370102", date(1985, 3, 7), 123) == "37010219850307123X"
    for seq in (0, 1, 998, 999):
        assert is_valid_ric(make_ric("370303", date(2000, 2, 29), seq))
    with pytest.raises(ValueError):
        make_ric("3701", date(1985, 3, 7), 1)
    with pytest.raises(ValueError):
        make_ric("370102", date(1985, 3, 7), 1000)
