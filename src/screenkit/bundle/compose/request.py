"""Which bundles to build: named ones from the kit, ad-hoc ones from options, or the matrix.

A `BundleRequest` is what the user asked for; the plan resolves it against the preset
(which language is burned, which are carried). Names become folder names, so a name that is
not one plain folder name (``../x``, ``/abs``, ``a/b``) is refused here, before anything runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from screenkit.bundle.engine.errors import BundleError
from screenkit.config import did_you_mean
from screenkit.kit import BundleSpec, Kit
from screenkit.languages import valid_language
from screenkit.names import bundle_folder_problem, name_problem, valid_name
from screenkit.presets import standard_presets

# what the user asked for has the very shape of a named bundle in the manifest
BundleRequest = BundleSpec


@dataclass(frozen=True)
class Organiser:
    """The organiser's line, given at build time; it overrides a named bundle's."""

    venue: str | None = None
    date: str | None = None
    contact: str | None = None


def check_name(name: str, what: str = "bundle name") -> str:
    if not valid_name(name):
        escapes = name.startswith(("/", "\\")) or ".." in name or "/" in name or "\\" in name
        reason = "would escape the output folder" if escapes else None
        if reason is None:
            raise BundleError(f"{what}: {name_problem(name)}", value=name, key="name")
        raise BundleError(f"{what} '{name}' {reason}", value=name, key="name")
    return name


def _language(kit: Kit, lang: str, option: str) -> str:
    if not valid_language(lang):
        raise BundleError(
            f"{option} '{lang}' is not a language tag like 'en', 'uk' or 'pt-BR'", value=lang
        )
    if lang not in kit.languages:
        raise BundleError(
            f"{option} '{lang}' is not one of the kit's languages ({', '.join(kit.languages)})",
            value=lang,
            key=option,
        )
    return lang


def _with_organiser(request: BundleRequest, organiser: Organiser) -> BundleRequest:
    return replace(
        request,
        venue=organiser.venue or request.venue,
        date=organiser.date or request.date,
        contact=organiser.contact or request.contact,
    )


def named_requests(kit: Kit, names: Sequence[str], organiser: Organiser) -> list[BundleRequest]:
    requests = []
    for name in names:
        check_name(name)
        spec = kit.bundles.get(name)
        if spec is None:
            known = ", ".join(kit.bundles) or "none"
            raise BundleError(
                f"the kit has no bundle named '{name}'{did_you_mean(name, kit.bundles)} "
                f"(its bundles: {known})",
                value=name,
                path=kit.manifest,
                hint="build an ad-hoc one with --preset and --lang",
            )
        request = BundleRequest(
            name=spec.name,
            preset=spec.preset,
            lang=spec.lang,
            burn=spec.burn,
            soft=spec.soft,
            outro=spec.outro,
            venue=spec.venue,
            date=spec.date,
            contact=spec.contact,
        )
        requests.append(_with_organiser(request, organiser))
    return requests


def adhoc_request(
    kit: Kit,
    *,
    preset: str | None,
    lang: str | None,
    burn: str | None,
    organiser: Organiser,
    outro: float | None = None,
) -> BundleRequest:
    preset = preset or "usb-player"
    check_name(preset, "preset name")
    lang = _language(kit, lang or kit.original_language, "--lang")
    if burn is not None:
        _language(kit, burn, "--burn")
    name = f"{lang}-{preset}" if burn in (None, lang) else f"{lang}-{preset}-burn-{burn}"
    return _with_organiser(
        BundleRequest(name=name, preset=preset, lang=lang, burn=burn, outro=outro), organiser
    )


def matrix_requests(kit: Kit, organiser: Organiser) -> list[BundleRequest]:
    """Every kit language × every standard file preset (the distributor's ``--all``). The
    old players' presets (a disc, an AVI) are asked for by name: each needs its own kind of
    player and, for a DVD, tools beside ffmpeg."""
    return [
        _with_organiser(BundleRequest(name=f"{lang}-{preset}", preset=preset, lang=lang), organiser)
        for lang in kit.languages
        for preset in standard_presets("file")
    ]


def resolve_requests(
    kit: Kit,
    names: Sequence[str],
    *,
    all_bundles: bool = False,
    preset: str | None = None,
    lang: str | None = None,
    burn: str | None = None,
    organiser: Organiser | None = None,
    outro: float | None = None,
) -> list[BundleRequest]:
    """The bundles one ``screenkit build`` invocation asks for, in order, without repeats.

    ``outro`` (seconds) puts the appeal card after the film in every one of them, whatever
    the manifest says (``--outro``).
    """
    organiser = organiser or Organiser()
    adhoc = preset is not None or lang is not None or burn is not None
    if names and adhoc:
        raise BundleError(
            "name bundles of the kit, or describe one with --preset/--lang/--burn, not both"
        )
    if all_bundles and (names or adhoc):
        raise BundleError("--all builds the whole matrix: give no bundle names or --preset/--lang")
    if all_bundles:
        requests = matrix_requests(kit, organiser)
    elif adhoc:
        requests = [adhoc_request(kit, preset=preset, lang=lang, burn=burn, organiser=organiser)]
    elif names:
        requests = named_requests(kit, names, organiser)
    elif kit.bundles:
        requests = named_requests(kit, list(kit.bundles), organiser)
    else:
        raise BundleError(
            f"{kit.manifest} names no bundles",
            path=kit.manifest,
            hint="add a [bundles.NAME] table, or use --preset/--lang, or --all",
        )
    if outro is not None:
        requests = [replace(r, outro=outro) for r in requests]
    unique: dict[str, BundleRequest] = {}
    for request in requests:
        unique.setdefault(request.name, request)
        if problem := bundle_folder_problem(kit.name, request.name):  # before any probe
            raise BundleError(f"bundle {request.name[:40]}: {problem}", value=request.name)
    return list(unique.values())
