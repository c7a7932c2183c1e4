"""A translated catalogue sent from the browser: read within limits, checked, kept, imported.

The upload is untrusted input: a ``multipart/form-data`` POST of one file (``po``) and
perhaps the language (``lang``) the form names, read with Starlette's parser (the
``python-multipart`` of the app extra) with at most one file of `MAX_PO_BYTES` and a few
fields; refused before parsing when the request says it is larger. The bytes are parsed by
Babel from a private scratch folder, never from the kit; its language comes from the
catalogue's header (``Language:``), else from the form, and must be a language the kit's
rules accept as a file name (`translate.target_language`). Only then is it written into the
kit, as ``subtitles/L.po`` (by atomic rename; a different catalogue of that name is kept as
``L.po.bak`` first), and imported into ``subtitles/L.srt`` timed as the original
(`import_po` keeps a replaced track as ``.bak``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request

from screenkit.app.kitview import KitView
from screenkit.app.translate import (
    CatalogueRefused,
    LanguageMismatch,
    LanguageRefused,
    NothingTranslated,
    target_language,
)
from screenkit.errors import ScreenkitError
from screenkit.subtitles.po_import import PoImport

MAX_FIELDS = 4


@dataclass(frozen=True)
class Received:
    data: bytes
    filename: str
    lang: str | None
    """The language the form names (used when the catalogue's header names none)."""


def _too_large(limit: int) -> CatalogueRefused:
    return CatalogueRefused(
        f"the catalogue is larger than {limit // (1024 * 1024)} MB: not a subtitle catalogue",
        key="po",
        hint="send the .po file the app gave, translated",
    )


async def read_upload(request: Request, limit: int) -> Received:
    """The file and the language of an upload form; `CatalogueRefused` (key ``po``) for a
    request that is not one, holds no file, or is too large."""
    from starlette.formparsers import MultiPartException

    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise CatalogueRefused(
            "send the catalogue as a file of a form (multipart/form-data)", key="po"
        )
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + 64 * 1024:
        raise _too_large(limit)
    try:
        async with request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=limit) as form:
            upload = form.get("po")
            lang = form.get("lang")
            if not isinstance(upload, UploadFile):
                raise CatalogueRefused(
                    "no catalogue file was sent", key="po", hint="choose the .po file first"
                )
            data = await upload.read(limit + 1)
            filename = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:120]
    except MultiPartException as exc:
        raise CatalogueRefused(
            f"the upload cannot be read: {exc.message}", key="po", hint="send one .po file"
        ) from exc
    if len(data) > limit:
        raise _too_large(limit)
    if not data.strip():
        raise CatalogueRefused("the catalogue file is empty", key="po")
    asked = lang.strip() if isinstance(lang, str) and lang.strip() else None
    return Received(data, filename, asked)


def accept_catalogue(view: KitView, received: Received, original: Path) -> tuple[str, PoImport]:
    """Check the catalogue, keep it as ``subtitles/L.po`` and import ``subtitles/L.srt``."""
    from screenkit.media.atomic import write_bytes_atomic
    from screenkit.subtitles.edit import backup_path
    from screenkit.subtitles.po import catalogue_lang, message_text, messages_of, read_catalogue
    from screenkit.subtitles.po_import import import_po
    from screenkit.tempdirs import scratch_dir

    with scratch_dir("po-upload") as scratch:
        staged = scratch / "upload.po"
        staged.write_bytes(received.data)
        try:
            catalog = read_catalogue(staged)
        except ScreenkitError as exc:
            shown = received.filename or "the file"
            raise CatalogueRefused(
                f"{shown} is not a gettext catalogue: {exc.message.split(': ', 1)[-1]}",
                key="po",
                value=shown,
                hint="send the .po file the app gave, translated in a PO editor (Poedit, Lokalize)",
            ) from exc
    messages = messages_of(catalog)
    if not messages:
        raise CatalogueRefused("the catalogue holds no message", key="po")
    if not any(message_text(m).strip() for m in messages):
        raise NothingTranslated(
            "no message of the catalogue is translated yet: there is no track to make",
            key="po",
            hint="translate the msgstr lines in a PO editor (Poedit, Lokalize) first",
        )
    said = catalogue_lang(catalog)
    if said is None and received.lang is None:
        raise LanguageRefused(
            "the catalogue does not say its language",
            key="lang",
            hint="choose the language of the catalogue in the form",
        )
    lang = target_language(view, said or received.lang or "")
    if received.lang is not None and said is not None:
        asked = target_language(view, received.lang)
        if asked != lang:
            raise LanguageMismatch(
                f"the catalogue is in '{lang}', not '{asked}'",
                key="lang",
                value=lang,
                hint="send it from the page of its own language",
            )
    folder = view.kit.subtitles_dir
    po = folder / f"{lang}.po"
    if po.is_file() and po.read_bytes() != received.data:
        write_bytes_atomic(backup_path(po), po.read_bytes())
    write_bytes_atomic(po, received.data)
    return lang, import_po(po, folder / f"{lang}.srt", timing=original)
