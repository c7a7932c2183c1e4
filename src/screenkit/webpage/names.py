"""Languages by the name their speakers use, for the page's subtitle picker.

The names come from `screenkit.languages.native_name` (CLDR through langcodes, the one
table of language names screenkit has); a kit may name a language itself. A tag no
registry knows is shown as the tag (never an empty option in the picker).
"""

from __future__ import annotations

from collections.abc import Mapping

from screenkit.languages import native_name

__all__ = ["native_name", "native_names"]


def native_names(tags: list[str] | tuple[str, ...], given: Mapping[str, str]) -> dict[str, str]:
    """The picker's label of every tag: ``given`` where it names one, else `native_name`."""
    return {tag: (given.get(tag) or "").strip() or native_name(tag) for tag in tags}
