"""Benchmarks run against a live server: `make bench` (see bench.search)."""
