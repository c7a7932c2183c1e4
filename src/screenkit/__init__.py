"""screenkit: a documentary and its subtitle tracks, turned into ready-to-play screening bundles."""

__version__ = "0.1.0"

__all__ = ["__version__"]
