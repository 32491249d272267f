"""The input of `stayform batch` (and `extract`) as a stream of items, one per message.

INPUT is one of:
- a Maildir (a folder holding `cur/` and `new/` folders): every message in `new/` and `cur/`,
  never `tmp/`, read without changing the Maildir (see `_maildir`);
- any other folder: every `*.eml` file below it, in sorted order of their relative paths (symbolic
  links are not followed);
- a `.jsonl` file of `{"id": str, "text": str, "received_at": ISO (optional)}` lines;
- an `.eml` file, or a `.txt` file (a plain text, taken as it is);
- an mbox file (named `.mbox`/`.mbx`, or any other file whose first line is an mbox envelope
  line), split as a stream by `extractor.mbox`.

Item ids are stable across runs (resuming a batch depends on it) and unique within one input:
an email's id is its Message-ID, else `sha256:` and the first 16 hex digits of its bytes'
sha256; a text's is the same hash of its UTF-8 bytes; a JSONL line's is its `id`. A later item
with an id already used gets `#2`, `#3` ... appended. Something that cannot even be split out
(a bad JSONL line, a message over the size limit, an unreadable file) is an item with `error`
set, so the batch writes an error record for it and goes on.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal

from extractor.charsets import decode_bytes
from extractor.mbox import HEAD_BYTES, is_envelope, iter_lines, split_mbox
from extractor.read import peek_message_id

InputKind = Literal["maildir", "folder", "jsonl", "eml", "text", "mbox"]
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_MBOX_SUFFIXES = frozenset({".mbox", ".mbx"})


class InputError(Exception):
    """An INPUT that cannot be read at all (`not_found`, `unsupported`, `unreadable`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class InputItem:
    """One message of the input: an email (`raw`) or a plain text (`text`), or an `error`
    (code, message) for one that could not be split out. `defects` are what the splitting
    noticed (`truncated`: the file ended inside it); add them to the read defects."""

    id: str
    raw: bytes | None = None
    text: str | None = None
    received_at: dt.datetime | None = None
    error: tuple[str, str] | None = None
    defects: tuple[str, ...] = ()


def content_id(data: bytes) -> str:
    """The id of content without an id of its own: `sha256:` + 16 hex digits."""
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def input_kind(path: Path) -> InputKind:
    """What kind of INPUT `path` is; raises `InputError` when it is none."""
    if path.is_dir():
        return "maildir" if is_maildir(path) else "folder"
    if not path.is_file():
        raise InputError("not_found", f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".eml"):
        return "jsonl" if suffix == ".jsonl" else "eml"
    if suffix == ".txt":
        return "text"
    if suffix in _MBOX_SUFFIXES:
        return "mbox"
    try:
        with path.open("rb") as f:
            first = f.readline(4096)
    except OSError as e:
        raise InputError("unreadable", f"{path}: {e.strerror or e}") from e
    if is_envelope(first):
        return "mbox"
    raise InputError("unsupported", f"{path}: not a folder, .jsonl, .eml, .txt or mbox file")


def _email_item(raw: bytes, defects: tuple[str, ...] = ()) -> InputItem:
    return InputItem(id=peek_message_id(raw) or content_id(raw), raw=raw, defects=defects)


def _too_large(item_id: str, size: int, max_bytes: int) -> InputItem:
    message = f"{size} bytes, over the limit of {max_bytes}"
    return InputItem(id=item_id, error=("too_large", message))


def _eml_file(path: Path, max_bytes: int, *, name: str, inside: bool = False) -> InputItem:
    """One email file. `inside` (a file found in a folder or Maildir, not named by the user)
    opens it with O_NOFOLLOW and O_NONBLOCK: a file swapped for a link after the listing
    is still not followed, and a FIFO does not block the batch."""
    def error(code: str, reason: str) -> InputItem:
        return InputItem(id=f"file:{name}", error=(code, f"{name}: {reason}"))

    flags = os.O_RDONLY | (os.O_NOFOLLOW | os.O_NONBLOCK if inside else 0)
    try:
        with open(os.open(path, flags), "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                return error("unreadable", "not a plain file")
            if (size := st.st_size) <= max_bytes:
                return _email_item(f.read())
            digest = hashlib.sha256()  # too large: hash it as a stream for a stable id
            head = f.read(HEAD_BYTES)
            digest.update(head)
            while block := f.read(1 << 20):
                digest.update(block)
    except OSError as e:
        if inside and e.errno == errno.ELOOP:
            return error("symlink", "a symbolic link, not followed")
        return error("unreadable", e.strerror or str(e))
    item_id = peek_message_id(head) or "sha256:" + digest.hexdigest()[:16]
    return _too_large(item_id, size, max_bytes)


def _folder(path: Path, max_bytes: int) -> Iterator[InputItem]:
    """Every `.eml` file below `path`. Symbolic links are not followed, neither to files nor
    to folders: one could point out of the folder (`/etc/shadow.eml`, a home directory); a
    linked `.eml` is an `error` item (code `symlink`) so that it is seen, not read."""
    files: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(path, followlinks=False):
        base = Path(folder)
        dirs.sort()
        for name in names:
            file = base / name
            if file.suffix.lower() == ".eml":
                files.append((file.relative_to(path).as_posix(), file))
    for name, file in sorted(files):
        if file.is_symlink():
            yield InputItem(id=f"file:{name}",
                            error=("symlink", f"{name}: a symbolic link, not followed"))
        elif file.is_file():
            yield _eml_file(file, max_bytes, name=name, inside=True)


def is_maildir(path: Path) -> bool:
    """A folder is a Maildir when it holds `cur/` and `new/` folders (not links to them)."""
    return all((path / sub).is_dir() and not (path / sub).is_symlink() for sub in ("cur", "new"))


def _maildir_entries(path: Path) -> list[tuple[str, str, os.DirEntry[str]]]:
    """(unique name, relative path, entry) of each message in `new/` and `cur/`, sorted by the
    unique name (the file name before `:`): a mail client that marks a message read renames
    it (`new/x` -> `cur/x:2,S`) but keeps that name, so the order holds between runs. As in
    the Maildir specification, names starting with a dot and folders are not messages."""
    entries = []
    for sub in ("new", "cur"):
        with os.scandir(path / sub) as listing:
            for entry in listing:
                if entry.name.startswith(".") or entry.is_dir(follow_symlinks=False):
                    continue
                entries.append((entry.name.split(":")[0], f"{sub}/{entry.name}", entry))
    entries.sort(key=lambda e: (e[0], e[1]))
    return entries


def _maildir(path: Path, max_bytes: int) -> Iterator[InputItem]:
    """Every message of the Maildir `path`, read in place: nothing is moved from `new/` to
    `cur/` and no flag is set, since the mail client or server that owns the Maildir keeps
    that state. The files are read directly rather than through `mailbox.Maildir`, whose
    `get_bytes` follows symbolic links and reads a file whole whatever its size, and whose
    table of contents keeps only one of two files with the same unique name in `new/` and
    `cur/`. A link is an `error` item (`symlink`), as in a folder of .eml files; anything
    else that is not a plain file (a FIFO would block the read) is `unreadable`."""
    try:
        entries = _maildir_entries(path)
    except OSError as e:
        raise InputError("unreadable", f"{path}: {e.strerror or e}") from e
    for _, name, entry in entries:
        if entry.is_symlink():
            yield InputItem(id=f"file:{name}",
                            error=("symlink", f"{name}: a symbolic link, not followed"))
        elif not entry.is_file(follow_symlinks=False):
            yield InputItem(id=f"file:{name}",
                            error=("unreadable", f"{name}: not a plain file"))
        else:
            yield _eml_file(Path(entry.path), max_bytes, name=name, inside=True)


def _single_eml(path: Path, max_bytes: int) -> Iterator[InputItem]:
    yield _eml_file(path, max_bytes, name=path.name)


def _text_file(path: Path, max_bytes: int) -> Iterator[InputItem]:
    try:
        if (size := path.stat().st_size) > max_bytes:
            yield _too_large(f"file:{path.name}", size, max_bytes)
            return
        data = path.read_bytes()
    except OSError as e:
        raise InputError("unreadable", f"{path}: {e.strerror or e}") from e
    # A text file is taken as it is: only its encoding is guessed when it is not UTF-8.
    text = decode_bytes(data, "utf-8").text.removeprefix("\ufeff")
    yield InputItem(id=content_id(text.encode("utf-8")), text=text)


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as e:
        raise InputError("unreadable", f"{path}: {e.strerror or e}") from e


def _mbox(path: Path, max_bytes: int) -> Iterator[InputItem]:
    with _open(path) as f:
        yield from mbox_items(f, max_bytes)


def mbox_items(f: BinaryIO, max_bytes: int) -> Iterator[InputItem]:
    """The items of the mbox `f` reads (a whole file, or one block of it for the Ray engine):
    one per message, a too-large one as an error item named by its Message-ID."""
    for m in split_mbox(f, max_bytes=max_bytes):
        defects = (("truncated",) if m.truncated else ()) + (
            ("no_mbox_envelope",) if m.before_first_envelope else ())
        if m.raw is None:
            item_id = peek_message_id(m.head) or "sha256:" + m.digest[:16]
            yield _too_large(item_id, m.size, max_bytes)
        else:
            yield _email_item(m.raw, defects)


def _jsonl_item(line: bytes, where: str) -> InputItem:
    def bad(reason: str, item_id: str = where) -> InputItem:
        return InputItem(id=item_id, error=("bad_jsonl", f"{where}: {reason}"))

    try:
        obj = json.loads(line.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        return bad("not UTF-8")
    except json.JSONDecodeError as e:
        return bad(f"not JSON ({e.msg})")
    except RecursionError:  # '[[[[...' a hundred thousand deep
        return bad("JSON nested too deeply")
    if not isinstance(obj, dict):
        return bad("not a JSON object")
    item_id, text, received = obj.get("id"), obj.get("text"), obj.get("received_at")
    if not isinstance(item_id, str) or not item_id.strip():
        return bad('"id" must be a non-empty string')
    if not isinstance(text, str):
        return bad('"text" must be a string', item_id)
    if received is None:
        return InputItem(id=item_id, text=text)
    try:
        if not isinstance(received, str):
            raise ValueError
        return InputItem(id=item_id, text=text,
                         received_at=received_time(dt.datetime.fromisoformat(received)))
    except ValueError:
        return bad('"received_at" must be an ISO 8601 date-time UTC can hold', item_id)


def received_time(value: dt.datetime) -> dt.datetime:
    """When a message arrived, as stored: without an offset it is read as UTC; one that UTC
    cannot hold ("0001-01-01T00:00:00+01:00" falls before the calendar) raises ValueError."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        value.astimezone(dt.UTC)
    except OverflowError as e:
        raise ValueError("outside the date-times UTC can hold") from e
    return value


def _capped_lines(f: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """The lines of `f`; None for a line longer than `max_bytes` (not kept in memory)."""
    pieces: list[bytes] | None = None
    size = 0
    started = False
    for chunk, starts in iter_lines(f):
        if starts:
            if started:
                yield b"".join(pieces) if pieces is not None else None
            pieces, size, started = [], 0, True
        size += len(chunk)
        if pieces is not None:
            pieces.append(chunk)
            if size > max_bytes:
                pieces = None
    if started:
        yield b"".join(pieces) if pieces is not None else None


def _jsonl(path: Path, max_bytes: int) -> Iterator[InputItem]:
    with _open(path) as f:
        for number, line in enumerate(_capped_lines(f, max_bytes), start=1):
            where = f"{path.name}:{number}"
            if line is None:
                yield InputItem(id=where, error=("too_large", f"{where}: over {max_bytes} bytes"))
            elif line.strip():
                yield _jsonl_item(line, where)


def _unique(items: Iterable[InputItem]) -> Iterator[InputItem]:
    seen: set[str] = set()
    next_suffix: dict[str, int] = {}  # so 10,000 copies of one id cost no quadratic search
    for item in items:
        n = next_suffix.get(item.id, 1)
        item_id = item.id if n == 1 else f"{item.id}#{n}"
        while item_id in seen:  # "a#2" may also be an id of its own
            n += 1
            item_id = f"{item.id}#{n}"
        next_suffix[item.id] = n + 1
        seen.add(item_id)
        yield item if item_id == item.id else replace(item, id=item_id)


def iter_inputs(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[InputItem]:
    """The items of INPUT `path` in input order, read as a stream.

    Raises `InputError` (before yielding anything) when `path` is no readable input."""
    readers = {"maildir": _maildir, "folder": _folder, "jsonl": _jsonl, "eml": _single_eml,
               "text": _text_file, "mbox": _mbox}
    reader = readers[input_kind(path)]
    return _unique(reader(path, max_bytes))
