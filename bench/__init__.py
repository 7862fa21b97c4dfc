"""Benchmarks, run on demand (never timed in the test suite)."""
