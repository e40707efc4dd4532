"""Reading a file another app wrote: its head for detection, its bytes for a reader, gunzipped
when it is a ``.gz`` (Strava's export keeps its ride files as ``.fit.gz``, ``.gpx.gz``)."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from tracker.imports.source import ImportFormatError

HEAD_SIZE = 4096
# A gzip file can unpack to far more than it weighs: a ride file is a few megabytes, so a
# limit well above any real one keeps a hostile file from filling the memory.
MAX_UNPACKED = 256 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def _cannot_read(path: Path, error: OSError) -> ImportFormatError:
    if path.is_dir():
        return ImportFormatError(str(path), None, "is a folder; give a file")
    return ImportFormatError(str(path), None, f"cannot be read ({error.strerror or error})")


def read_head(path: Path) -> bytes:
    """The first ``HEAD_SIZE`` bytes of the file, unpacked when it is gzipped."""
    try:
        with path.open("rb") as raw:
            start = raw.read(HEAD_SIZE)
            if not start.startswith(GZIP_MAGIC):
                return start
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw) as unpacked:
                return unpacked.read(HEAD_SIZE)
    except (gzip.BadGzipFile, EOFError, zlib.error):
        raise ImportFormatError(str(path), None, "is not a readable gzip file") from None
    except OSError as error:
        raise _cannot_read(path, error) from None


def read_bytes(path: Path) -> bytes:
    """The whole file, unpacked when it is gzipped; refuses a folder or an unreadable file."""
    try:
        with path.open("rb") as raw:
            data = raw.read()
    except OSError as error:
        raise _cannot_read(path, error) from None
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        unpacked = unpacker.decompress(data, MAX_UNPACKED)
    except zlib.error:
        raise ImportFormatError(str(path), None, "is not a readable gzip file") from None
    if unpacker.unconsumed_tail:
        raise ImportFormatError(
            str(path), None, f"unpacks to more than {MAX_UNPACKED // 2**20} MB; not a ride file"
        )
    return unpacked


def text_of(path: Path, data: bytes) -> str:
    """``data`` as text: UTF-8 (with or without a byte-order mark)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFormatError(str(path), line, "is not UTF-8 text") from None
