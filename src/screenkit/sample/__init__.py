"""Generated media: the sample kit's stand-in film, and the sources tests and benchmarks use.

Everything here is deterministic (seeded), made from lavfi sources and numpy, so a fresh
machine can produce exactly the media the tests were written against.
"""
