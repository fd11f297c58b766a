"""Finding delivered files, fingerprinting them, and getting their text into UTF-8."""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .contract import SUPPORTED_SUFFIXES, load_contract
from .pii import mask_free_text

CHUNK = 1 << 20


# The sha256 recorded for a file none of whose bytes could be read (not a regular file, a
# dangling link, a name that is not UTF-8, permission denied): the SHA-256 of no bytes.
NOTHING_READ_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class DeliveredFile:
    path: Path  # where the bytes are read from: the name as delivered
    rel_path: str  # as recorded: relative to the raw directory, '/'-separated, printable, identity numbers masked
    kind: str  # first folder under the raw directory, as delivered
    size_bytes: int | None = None  # from the stat at discovery, links followed (None: nothing to read)
    mtime_ns: int | None = None
    problem: str | None = None  # why no byte of it can be read: not a regular file, a dangling link, ...

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


class NotReadable(ValueError):
    """The delivered file cannot be read: not a regular file (any more), or the system refuses."""


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
)


def not_regular_reason(mode: int) -> str:
    what = next((name for test, name in _NOT_REGULAR if test(mode)), "not a file")
    return f"NOT_A_REGULAR_FILE: {what}; only regular files are read"


def unreadable_reason(exc: OSError) -> str:
    return f"UNREADABLE: {exc.strerror or type(exc).__name__}"


def open_delivered(path: Path) -> BinaryIO:
    """The file's bytes, opened without blocking and only if it is a regular file: a FIFO swapped in
    after discovery is refused, never waited on (opening one for reading blocks until a writer comes)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotReadable(not_regular_reason(mode))
    return os.fdopen(fd, "rb")


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (os gives them as surrogates) written as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class _Entry:
    rel: str  # the real relative name (undecodable bytes as surrogates)
    path: Path
    stat: os.stat_result | None
    problem: str | None


def discover(raw_dir: Path) -> list[DeliveredFile]:
    """Every file under raw_dir, links to files and folders followed, in the byte order of its real
    relative path (deterministic reruns). Nothing is opened: what cannot be read (a FIFO, a dangling
    link, a loop of links, a name that is not UTF-8) comes back with its ``problem``."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {raw_dir} does not exist (CREDIT_RAW_DIR)")
    entries: list[_Entry] = []
    _walk(raw_dir, "", {_identity(raw_dir.stat())}, entries)
    entries.sort(key=lambda e: os.fsencode(e.rel))
    return [
        DeliveredFile(e.path, label, e.rel.split("/", 1)[0] if "/" in e.rel else "",
                      e.stat.st_size if e.stat else None, e.stat.st_mtime_ns if e.stat else None,
                      _name_problem(e.rel) or e.problem)
        for e, label in zip(entries, _recorded_paths([e.rel for e in entries]))
    ]


def _identity(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


def _walk(folder: Path, rel: str, ancestors: set[tuple[int, int]], entries: list[_Entry]) -> None:
    """Appends every entry under ``folder``; ``ancestors`` are the folders on the way here, so
    that a link back to one of them is reported, not followed forever."""
    try:
        children = list(os.scandir(folder))
    except OSError as exc:
        if not rel:  # the raw directory itself: nothing was delivered that could be reported
            raise
        entries.append(_Entry(rel.removesuffix("/"), folder, None,
                              f"UNREADABLE_FOLDER: {exc.strerror or type(exc).__name__}"))
        return
    for child in children:
        child_rel = f"{rel}{child.name}"
        path = folder / child.name
        try:
            st = os.stat(path)  # follows links
        except OSError as exc:
            entries.append(_Entry(child_rel, path, None, _stat_problem(path, exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            if _identity(st) in ancestors:
                entries.append(_Entry(child_rel, path, None,
                                      "LINK_LOOP: a link to a folder that contains it (not followed)"))
            else:
                _walk(path, child_rel + "/", ancestors | {_identity(st)}, entries)
        elif stat.S_ISREG(st.st_mode):
            entries.append(_Entry(child_rel, path, st, None))
        else:
            entries.append(_Entry(child_rel, path, None, not_regular_reason(st.st_mode)))


def _stat_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "LINK_LOOP: a loop of symbolic links"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return f"DANGLING_LINK: a link to {mask_free_text(printable(os.readlink(path)))}, which does not exist"
    return unreadable_reason(exc)


def _name_problem(rel: str) -> str | None:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return ("UNDECODABLE_NAME: the name is not valid UTF-8 (its other bytes are shown as \\xNN); "
                "rename the file")
    return None


def _recorded_paths(rels: list[str]) -> list[str]:
    """Each path as recorded: printable, identity numbers masked. A path the recording leaves as it is
    keeps it; one it alters and that then names another path (two numbers masked alike) gets '#2',
    '#3'... in delivery order, so that no file hides another."""
    shown = [mask_free_text(printable(rel)) for rel in rels]
    taken = {label for rel, label in zip(rels, shown) if label == rel}
    recorded = []
    for rel, label in zip(rels, shown):
        if label != rel:
            candidate, n = label, 1
            while candidate in taken:
                n += 1
                candidate = f"{label}#{n}"
            label = candidate
            taken.add(label)
        recorded.append(label)
    return recorded


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    size: int
    newlines: int  # b'\n' count: physical lines, for line-number bookkeeping
    ends_with_newline: bool
    is_utf8: bool
    lone_crs: int = 0  # b'\r' not followed by b'\n': a line break to some readers, not to the line count

    @property
    def physical_lines(self) -> int:
        if self.size == 0:
            return 0
        return self.newlines + (0 if self.ends_with_newline else 1)


def fingerprint(path: Path) -> Fingerprint:
    """One streaming pass: hash, line count and whether the bytes are valid UTF-8. NotReadable if
    the file is not a regular file or cannot be read."""
    try:
        return _fingerprint(path)
    except OSError as exc:
        raise NotReadable(unreadable_reason(exc)) from exc


def _fingerprint(path: Path) -> Fingerprint:
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    size = newlines = lone_crs = 0
    is_utf8 = True
    last = b""
    with open_delivered(path) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            newlines += chunk.count(b"\n")
            # a CR ending the previous chunk was counted lone; this chunk's first LF pairs it
            lone_crs += chunk.count(b"\r") - chunk.count(b"\r\n") - (last == b"\r" and chunk[:1] == b"\n")
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
    return Fingerprint(digest.hexdigest(), size, newlines, last == b"\n", is_utf8, lone_crs)


class UndecodableFile(ValueError):
    pass


SNIFF_BYTES = 1 << 16
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (an Excel 97-2003 .xls, or a password-protected workbook)"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def _signature(head: bytes) -> str | None:
    return next((what for magic, what in _SIGNATURES if head.startswith(magic)), None)


def sniff_problem(path: Path, fp: Fingerprint, suffix: str) -> str | None:
    """Why the bytes cannot be the file their name says, before anything tries to read them."""
    if fp.size == 0:
        return "EMPTY_FILE: 0 bytes"
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if suffix == ".xlsx":
        return _xlsx_problem(path, head)
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if head.startswith(bom) and _decodes_to_csv(head, codec):
            return (f"UNSUPPORTED_ENCODING: {codec.upper()} (byte-order mark {bom.hex(' ').upper()}); "
                    "deliver UTF-8 or GB18030/GBK")
    if what := _signature(head):
        return f"NOT_TEXT: {what} named {path.suffix}; deliver the extract as CSV text or .xlsx"
    return None


def _decodes_to_csv(data: bytes, codec: str) -> bool:
    """The bytes decode in the codec to text with a comma or a line break (not just a BOM on garbage)."""
    try:  # incremental: a character cut at the end of the sniffed bytes is not an error
        text = codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return "," in text or "\n" in text


def _xlsx_problem(path: Path, head: bytes) -> str | None:
    if not head.startswith(b"PK\x03\x04"):
        what = _signature(head) or ("text (a CSV named .xlsx?)" if _looks_like_text(head) else "binary data")
        return f"NOT_XLSX: not an Office Open XML workbook (no ZIP signature): the bytes are {what}"
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        return f"NOT_XLSX: a damaged ZIP container ({exc})"
    if "xl/workbook.xml" not in names:
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
        return f"NOT_XLSX: a ZIP archive without a workbook (no xl/workbook.xml; it holds {shown or 'nothing'})"
    return None


def _looks_like_text(head: bytes) -> bool:
    return b"\x00" not in head and sum(1 for b in head if b in _CONTROL) <= len(head) // 100


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _line_ranges(lines: list[int]) -> str:
    """1, 2, 3, 7 -> '1–3, 7' (at most five ranges)."""
    ranges: list[list[int]] = []
    for n in lines:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    text = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in ranges[:5])
    return text + (", …" if len(ranges) > 5 else "")


def utf8_copy(path: Path, fp: Fingerprint, scratch_dir: Path) -> tuple[Path, str]:
    """A UTF-8 path for DuckDB: the file itself, or a GB18030 transcoding written line by line.

    DuckDB's CSV reader cannot decode GBK offline (STACK.md), so GB18030 (a superset of
    GBK and GB2312) is transcoded here, keeping the line structure (0x0A never occurs inside
    a GB18030 character, so lines split safely on bytes). A file is in one encoding: one that
    mixes UTF-8 lines of Chinese text with GB18030 lines would come out half garbled, and is
    rejected whole (MIXED_ENCODING) with the lines of each.
    """
    if fp.is_utf8:
        return path, "utf-8"
    target = scratch_dir / (fp.sha256 + ".utf8.csv")
    utf8_lines: list[int] = []  # valid UTF-8 holding Chinese: not what a GB18030 line looks like
    gb_lines: list[int] = []
    try:
        with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
            for line_no, raw in enumerate(src, start=1):
                try:
                    is_utf8 = _cjk_count(raw.decode("utf-8")) >= 2
                except UnicodeDecodeError:
                    is_utf8 = False
                    gb_lines.append(line_no)
                if is_utf8:
                    utf8_lines.append(line_no)
                try:
                    dst.write(raw.decode("gb18030"))
                except UnicodeDecodeError as exc:
                    if is_utf8:  # a UTF-8 line in a file that is not all UTF-8: MIXED_ENCODING below
                        continue
                    raise UndecodableFile(
                        f"UNDECODABLE: the bytes are neither UTF-8 nor GB18030/GBK "
                        f"(line {line_no}: invalid sequence at byte {exc.start} of the line)"
                    ) from exc
        if utf8_lines and gb_lines:
            raise UndecodableFile(
                f"MIXED_ENCODING: lines {_line_ranges(utf8_lines)} are UTF-8 and lines {_line_ranges(gb_lines)} "
                "GB18030/GBK; a file must be in one encoding (re-export it)"
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, "gb18030"
