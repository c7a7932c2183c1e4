"""The one exception family of screenkit.

Every error a user can cause (a bad file, a bad option value, a missing tool) is a
`ScreenkitError`. Subclasses carry the offending path, key or value as attributes so that
callers and tests can act on them without matching message text. The CLI turns any of
them into ``Error: <message>`` on stderr and exit status 1.

Every subclass survives `pickle` (so an error raised in a worker process reaches the parent
as itself): the base class's ``__reduce__`` rebuilds an instance from its arguments and its
instance dict without calling ``__init__``, so subclasses are free to take keyword-only
arguments or compute attributes there. Extra attributes must themselves be picklable.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

_E = TypeVar("_E", bound="ScreenkitError")


def _rebuild(cls: type[_E], args: tuple[Any, ...]) -> _E:
    """Unpickling: a bare instance of ``cls``; pickle then restores its ``__dict__``."""
    return cls.__new__(cls, *args)


class ScreenkitError(Exception):
    """Base of every error screenkit reports to a user.

    ``hint`` says what to do next; the CLI prints it after the message.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        key: str | None = None,
        value: object = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.key = key
        self.value = value
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # BaseException's own reduce calls ``type(self)(*self.args)``, which breaks on any
        # subclass whose constructor differs from (message); this one calls no constructor
        return (_rebuild, (type(self), self.args), self.__dict__)


class InputError(ScreenkitError):
    """A user-supplied file cannot be used (missing, a directory, unreadable, wrong kind)."""


class ConfigError(ScreenkitError):
    """A kit manifest or preset file is invalid; ``path`` and ``key`` say where."""


class FFmpegNotFound(ScreenkitError):
    """No usable ffmpeg binary was found."""


class FFmpegTooOld(ScreenkitError):
    """The ffmpeg found is older than the oldest screenkit supports."""

    def __init__(self, message: str, *, path: Path, version: str, hint: str | None = None):
        super().__init__(message, path=path, value=version, hint=hint)
        self.version = version


class FFmpegFailed(ScreenkitError):
    """ffmpeg exited with a non-zero status; carries the command and the tail of its log."""

    def __init__(
        self,
        message: str,
        *,
        argv: Sequence[str],
        returncode: int,
        stderr_tail: str,
        path: Path | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, path=path, hint=hint)
        self.argv = list(argv)
        self.returncode = returncode
        self.stderr_tail = stderr_tail


class ProbeError(InputError):
    """A file could not be read as media."""


class SubtitleError(ScreenkitError):
    """A subtitle track cannot be loaded, converted or written."""


class Interrupted(BaseException):
    """Raised in the main thread on SIGTERM so that clean-up runs as for Ctrl-C.

    A BaseException, like KeyboardInterrupt, so that ``except Exception`` does not swallow it.
    """


_OS_REASONS = {
    errno.ENAMETOOLONG: "a name in this path is too long for the disk (at most 255 bytes a name)",
    errno.ENOENT: "no such file or folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted",
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ELOOP: "too many symbolic links",
    errno.EXDEV: "it is on another disk",
}


def path_error(exc: OSError, doing: str | None = None) -> InputError:
    """An `OSError` on a user's path as an `InputError` that names the path and the reason.

    ``doing`` says what screenkit was at ("writing", "reading the kit"), when known.
    """
    reason = _OS_REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    where = " -> ".join(names)
    what = f"{doing} {where}" if doing and where else (doing or where or "a file operation")
    return InputError(
        f"{what}: {reason}",
        path=names[0] if names else None,
        value=exc.errno,
        hint="check the path: it must exist (or its folder must, for an output) and be "
        "usable by you"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EACCES, errno.EPERM)
        else None,
    )
