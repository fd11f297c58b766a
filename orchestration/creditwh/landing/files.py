"""Finding delivered files, fingerprinting them, and getting their text into UTF-8."""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .contract import SUPPORTED_SUFFIXES, load_contract

CHUNK = 1 << 20


@dataclass(frozen=True)
class DeliveredFile:
    path: Path
    rel_path: str  # relative to the raw directory, '/'-separated
    kind: str  # first folder under the raw directory, as delivered

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @property
    def misplaced_reason(self) -> str | None:
        if self.kind not in load_contract():
            return f"UNKNOWN_KIND: folder {self.kind!r} is not an extract kind ({', '.join(load_contract())})"
        if self.suffix not in SUPPORTED_SUFFIXES:
            return f"UNSUPPORTED_FILE_TYPE: {self.path.suffix or 'no suffix'} (expected .csv or .xlsx)"
        return None


def discover(raw_dir: Path) -> list[DeliveredFile]:
    """Every file under raw_dir, in the byte order of its relative path (deterministic reruns)."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {raw_dir} does not exist (CREDIT_RAW_DIR)")
    found: list[DeliveredFile] = []
    for dirpath, _dirnames, filenames in os.walk(raw_dir):
        for name in filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(raw_dir).as_posix()
            kind = rel.split("/", 1)[0] if "/" in rel else ""
            found.append(DeliveredFile(path, rel, kind))
    return sorted(found, key=lambda f: f.rel_path.encode("utf-8"))


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    newlines: int  # b'\n' count: physical lines, for line-number bookkeeping
    ends_with_newline: bool
    is_utf8: bool

    @property
    def physical_lines(self) -> int:
        if self.size == 0:
            return 0
        return self.newlines + (0 if self.ends_with_newline else 1)


def fingerprint(path: Path) -> Fingerprint:
    """One streaming pass: hash, line count and whether the bytes are valid UTF-8."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size = newlines = 0
    is_utf8 = True
    last = b""
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
            if is_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    return Fingerprint(digest.hexdigest(), size, newlines, last == b"\n", is_utf8)


class UndecodableFile(ValueError):
    pass


def utf8_copy(path: Path, fp: Fingerprint, scratch_dir: Path) -> tuple[Path, str]:
    """A UTF-8 path for DuckDB: the file itself, or a streamed GB18030 transcoding.

    DuckDB's CSV reader cannot decode GBK offline (STACK.md), so GB18030 (a superset of
    GBK and GB2312) is transcoded here, chunk by chunk, keeping the line structure.
    """
    if fp.is_utf8:
        return path, "utf-8"
    target = scratch_dir / (fp.sha256 + ".utf8.csv")
    decoder = codecs.getincrementaldecoder("gb18030")()
    offset = 0
    try:
        with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(CHUNK):
                dst.write(decoder.decode(chunk))
                offset += len(chunk)
            dst.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        target.unlink(missing_ok=True)
        raise UndecodableFile(
            f"UNDECODABLE: the bytes are neither UTF-8 nor GB18030/GBK "
            f"(invalid GB18030 sequence near byte {offset + exc.start})"
        ) from exc
    return target, "gb18030"
