"""Build step: compile the gettext catalogues (``.po`` → ``.mo``) into the built package.

Everything else about the package is in pyproject.toml. An editable install does not need
this step: `screenkit.i18n` compiles a ``.po`` in memory when no current ``.mo`` is beside it.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUES = Path("screenkit") / "i18n" / "locale"


def compile_catalogues(folder: Path) -> list[Path]:
    """Write ``X.mo`` beside every ``X.po`` in ``folder`` and its part folders (Babel).

    Returns the ``.mo`` files written.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(folder.glob("*.po")) + sorted(folder.glob("*/*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, abort_invalid=True)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(mo)
    return written


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        compile_catalogues(Path(self.build_lib) / CATALOGUES)


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildWithCatalogues})
