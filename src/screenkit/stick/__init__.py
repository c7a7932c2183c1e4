"""The stick: list the removable drives, check a destination, copy a bundle and read it back.

drives = removable_drives()                       # [Drive(path, label, fstype, free, ...)]
findings = check_destination(bundle, drives[0].path)
for f in findings: print(describe_finding(f, translator("uk")))
report = copy_bundle(bundle, drives[0].path, progress=callback, stop=threading.Event())

The library knows no face: the CLI (``screenkit copy``) and the organiser's app both call it.
"""

from screenkit.stick.checks import Finding, check_destination
from screenkit.stick.copy import COPY_STEP, CopyReport, copy_bundle
from screenkit.stick.drives import Drive, parse_lsblk, removable_drives
from screenkit.stick.errors import (
    CopyCancelled,
    CopyError,
    DestinationRefused,
    ReadBackFailed,
    StickFull,
)
from screenkit.stick.filesystems import display_name, filesystem_of
from screenkit.stick.readback import CHECK_STEP
from screenkit.stick.words import describe_finding

__all__ = [
    "CHECK_STEP",
    "COPY_STEP",
    "CopyCancelled",
    "CopyError",
    "CopyReport",
    "DestinationRefused",
    "Drive",
    "Finding",
    "ReadBackFailed",
    "StickFull",
    "check_destination",
    "copy_bundle",
    "describe_finding",
    "display_name",
    "filesystem_of",
    "parse_lsblk",
    "removable_drives",
]
