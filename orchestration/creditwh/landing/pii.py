"""Personal identity numbers (证件号码) — keyed, masked and checked before they are stored.

rules.md: a resident identity number never sits in the warehouse in plaintext. Landing
replaces every PII column ``<col>`` by three columns computed inside DuckDB:

  <col>_key     HMAC-SHA256 (hex) of the normalised number under CREDIT_PII_KEY
  <col>_masked  first 6 and last 4 characters, '*' between (370102********123X)
  <col>_is_ric  the number is a valid GB 11643 resident identity number

This module is the one place those rules live; staging only reads the three columns.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import pyarrow as pa
import pyarrow.compute as pc

from creditwh.rules import empty_markers

RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK_CHARS = "10X98765432"


def register_normaliser(con) -> None:
    """``creditwh_normalise_id(text)``: NFKC, no blanks, upper case, empty markers -> NULL."""
    markers = pa.array(sorted({m.upper() for m in empty_markers()}), pa.string())

    def normalise(values: pa.Array) -> pa.Array:
        text = pc.utf8_upper(pc.utf8_normalize(values, "NFKC"))
        text = pc.replace_substring_regex(text, r"\s+", "")
        return pc.if_else(pc.is_in(text, value_set=markers), pa.scalar(None, pa.string()), text)

    con.create_function(
        "creditwh_normalise_id", normalise, ["VARCHAR"], "VARCHAR", type="arrow",
        null_handling="special", side_effects=False,
    )


def _hmac_pads(key: bytes) -> tuple[str, str]:
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key).hex(), bytes(b ^ 0x5C for b in key).hex()


def hmac_sql(value: str, key: bytes) -> str:
    """HMAC-SHA256 (RFC 2104) in DuckDB SQL, so it runs vectorised on the whole column."""
    ipad, opad = _hmac_pads(key)
    return f"sha256(unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode({value}))))"


def key_fingerprint(key: bytes) -> str:
    """Tells whether the key changed since an earlier landing (whose keys no longer match), without
    storing the key or anything that would let someone recover it."""
    return hmac.new(key, b"creditwh-pii-key-fingerprint", hashlib.sha256).hexdigest()


def mask_sql(value: str) -> str:
    return (
        f"CASE WHEN length({value}) > 10 THEN left({value}, 6) || repeat('*', length({value}) - 10)"
        f" || right({value}, 4) ELSE repeat('*', length({value})) END"
    )


def is_ric_sql(value: str) -> str:
    weighted = " + ".join(
        f"{w} * TRY_CAST(substr({value}, {i}, 1) AS INTEGER)" for i, w in enumerate(RIC_WEIGHTS, start=1)
    )
    return (
        f"CASE WHEN regexp_full_match({value}, '[0-9]{{17}}[0-9X]')"
        f" AND TRY_STRPTIME(substr({value}, 7, 8), '%Y%m%d') IS NOT NULL"
        f" THEN substr({value}, 18, 1) = substr('{RIC_CHECK_CHARS}', (({weighted}) % 11) + 1, 1)"
        f" ELSE false END"
    )


def pii_columns_sql(column: str, source_expr: str, key: bytes) -> list[str]:
    """SELECT items replacing one PII column by its key, masked form and validity."""
    value = f"creditwh_normalise_id({source_expr})"
    return [
        f"{hmac_sql(value, key)} AS \"{column}_key\"",
        f"{mask_sql(value)} AS \"{column}_masked\"",
        f"{is_ric_sql(value)} AS \"{column}_is_ric\"",
    ]


# 15- or 18-character identity numbers inside free text (\d also matches full-width digits).
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z０-９])(\d{6})(\d{5,8})(\d{3}[\dXxＸｘ]|\d{4})(?![0-9A-Za-z０-９])")


def mask_free_text(text: str) -> str:
    """Mask anything shaped like an identity number in a raw line kept for feedback."""

    def repl(m: re.Match) -> str:
        middle = m.group(2) + m.group(3)[:-4]
        return m.group(1) + "*" * len(middle) + m.group(3)[-4:]

    return _ID_IN_TEXT.sub(repl, text)
