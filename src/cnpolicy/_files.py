"""Reading files within limits: a size checked before reading and enforced while reading; no special files."""

from __future__ import annotations

import os
import stat

from cnpolicy.errors import YamlSyntaxError

__all__ = ["MAX_BYTES", "read_limited"]

#: The largest data file read (and parsed): hostile or broken input is refused before it costs memory.
MAX_BYTES = 8 * 1024 * 1024


def read_limited(path: str, shown: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; `YamlSyntaxError` naming it otherwise.

    The size is checked with ``stat`` and enforced by a bounded read, before anything is decoded;
    FIFOs, devices and directories are refused without being opened for reading; a symbolic link is
    followed, and a dangling one is an error.
    """
    shown = shown or path
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file (a FIFO, socket or device)"
            raise YamlSyntaxError(f"cannot read: it is {kind}", file=shown)
        if info.st_size > limit:
            raise YamlSyntaxError(f"file is larger than {limit} bytes", file=shown)
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        dangling = os.path.islink(path)
        raise YamlSyntaxError("a symbolic link to a missing file" if dangling else "no such file", file=shown) from None
    except OSError as error:
        raise YamlSyntaxError(f"cannot read file: {error.strerror or error}", file=shown) from None
    if len(data) > limit:
        raise YamlSyntaxError(f"file is larger than {limit} bytes", file=shown)
    return data
