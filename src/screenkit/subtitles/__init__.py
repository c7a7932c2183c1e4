"""Subtitle tracks: load (with encoding detection), check, fix, convert, retime, sync, preview."""
