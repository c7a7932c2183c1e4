"""The one exception family of screenkit.

Every error a user can cause (a bad file, a bad option value, a missing tool) is a
`ScreenkitError`. Subclasses carry the offending path, key or value as attributes so that
callers and tests can act on them without matching message text. The CLI turns any of
them into ``Error: <message>`` on stderr and exit status 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


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

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only constructors defeat pickle's default (``cls(*args)``): rebuild from
        # the type and the attributes, so an error raised in a worker process arrives whole
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type[ScreenkitError], message: str, state: dict[str, object]) -> ScreenkitError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


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
