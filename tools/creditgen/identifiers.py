"""Identifiers valid by construction, vectorised (USCC GB 32100, resident identity number
GB 11643, registration number GB/T 17710), and the hashing that makes every attribute of the
world a pure function of an index."""

from __future__ import annotations

import numpy as np

from creditgen.dates import yyyymmdd
from creditwh import codes

_ALPHA = np.array(list(codes.USCC_ALPHABET), dtype="<U1")
_ALPHA_GB11714 = np.array([int(c) if c.isdigit() else ord(c) - 55 for c in codes.USCC_ALPHABET], dtype=np.int64)
_USCC_W = np.array(codes.USCC_WEIGHTS, dtype=np.int64)
_ORG_W = np.array(codes.ORG_CODE_WEIGHTS, dtype=np.int64)
_RIC_W = np.array(codes.RIC_WEIGHTS, dtype=np.int64)
_RIC_CHARS = np.array(list("0123456789X"), dtype="<U1")
_RIC_CHECK_IDX = np.array(["0123456789X".index(c) for c in codes.RIC_CHECK_CHARS], dtype=np.int64)
USCC_VALUE = {c: i for i, c in enumerate(codes.USCC_ALPHABET)}
_M64 = (1 << 64) - 1


def _join(vals: np.ndarray, lut: np.ndarray) -> list[str]:
    n, k = vals.shape
    if n == 0:
        return []
    return np.ascontiguousarray(lut[vals]).view(f"<U{k}").ravel().tolist()


def digits(x: np.ndarray, width: int) -> np.ndarray:
    return (x[:, None] // (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))) % 10


def uscc_vec(auth: np.ndarray, cat: np.ndarray, region_digits: np.ndarray, body: np.ndarray) -> list[str]:
    """Valid USCCs from alphabet values: authority, category, (n,6) region, (n,8) body."""
    n = len(auth)
    s = (_ALPHA_GB11714[body] * _ORG_W).sum(axis=1) % 11
    chk = 11 - s
    org_chk = np.where(chk == 10, USCC_VALUE["X"], np.where(chk == 11, 0, chk))
    v = np.empty((n, 18), dtype=np.int64)
    v[:, 0], v[:, 1], v[:, 2:8], v[:, 8:16], v[:, 16] = auth, cat, region_digits, body, org_chk
    v[:, 17] = (31 - (v[:, :17] * _USCC_W).sum(axis=1) % 31) % 31
    return _join(v, _ALPHA)


def ric_vec(region_digits: np.ndarray, birth_ord: np.ndarray, seq: np.ndarray) -> list[str]:
    n = len(seq)
    ymd = yyyymmdd(birth_ord)
    v = np.empty((n, 18), dtype=np.int64)
    v[:, 0:6] = region_digits
    v[:, 6:14] = digits(ymd, 8)
    v[:, 14:17] = digits(seq, 3)
    v[:, 17] = _RIC_CHECK_IDX[(v[:, :17] * _RIC_W).sum(axis=1) % 11]
    return _join(v, _RIC_CHARS)


def mix(x: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 of (x + salt): a deterministic per-index pseudo-random uint64."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(salt & _M64)
        z = z * np.uint64(0x9E3779B97F4A7C15)
        z ^= z >> np.uint64(30)
        z *= np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


def unit(z: np.ndarray) -> np.ndarray:
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def pick_index(z: np.ndarray, n: int) -> np.ndarray:
    return (z % np.uint64(n)).astype(np.int64)


def registration_number(first14: str) -> str:
    """15-digit registration number with its ISO 7064 MOD 11,10 check digit (GB/T 17710)."""
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10 or 10
        p = (2 * s) % 11
    return first14 + str((11 - p) % 10)

