"""screenkit: a documentary and its subtitle tracks, turned into ready-to-play screening bundles."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("screenkit")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
