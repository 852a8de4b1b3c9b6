"""Writes that cannot leave a half-written file: the one way the package writes a file.

Every writer of the package (data build, manifest, report pages, student copies, the
ledger, exports) goes through :func:`write_bytes` or :func:`write_text`. Each writes to a
temporary file in the target's own folder, flushes and ``fsync``s it, then puts it in place
with :func:`os.replace`, which is atomic on the same file system: a reader sees either the
old file or the new one, never a mixture. A failure at any point (a full disk, a kill, an
exception) leaves the old file as it was and removes the temporary file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_bytes", "write_text", "write_through"]


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; return the path.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write (its folder is created when missing).
    data : bytes
        The whole new content.

    Raises
    ------
    TypeError
        When ``data`` is not bytes.
    OSError
        When the folder cannot be written; the message names the path, and the old file,
        if any, is unchanged.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically, with ``\\n`` line ends as given; return the path."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    return write_bytes(path, text.encode(encoding))


def write_through(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Let ``write(temporary_path)`` write the file, then put it in place atomically.

    For writers that need a path of their own (``DataFrame.to_excel``, ``to_stata``,
    ``to_parquet``): the temporary path is in the target's folder; once ``write`` returns,
    the file is ``fsync``-ed and renamed over the target. If ``write`` raises, the target
    is unchanged and the temporary file removed.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
