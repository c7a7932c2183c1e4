"""The organiser's app: a local web page that builds, checks and copies a bundle.

``screenkit app`` serves it on 127.0.0.1 (see `screenkit.app.server`). The page is a thin
face over the library, like the CLI: `builds` is the one module that talks to the build
engine, `security` the one that decides who may ask, `web` the routes, `pages`/`api` the
handlers, `words` what the organiser reads in their language. The web stack (Starlette,
uvicorn, Jinja2) is the ``app`` extra: `require_web_stack` says how to install it.
"""

from __future__ import annotations

import importlib.util

from screenkit.errors import ScreenkitError

INSTALL_LINE = "pip install 'screenkit[app]'"
WEB_STACK = ("starlette", "uvicorn", "jinja2", "python_multipart")


class AppUnavailable(ScreenkitError):
    """The web stack of the app is not installed."""


def missing_web_stack() -> list[str]:
    """The modules of the ``app`` extra that cannot be imported here."""
    return [name for name in WEB_STACK if importlib.util.find_spec(name) is None]


def require_web_stack() -> None:
    """Raise `AppUnavailable` naming the install line when the ``app`` extra is missing."""
    missing = missing_web_stack()
    if missing:
        raise AppUnavailable(
            f"screenkit app needs {', '.join(missing)}, which is not installed",
            value=missing,
            hint=f"install the app extra: {INSTALL_LINE}",
        )
