"""Whole-process benchmarks: screenkit beside the bare ffmpeg command doing the same work."""
