"""Rows per table, as the commands print them: what a backup holds, what a restore put back."""

from __future__ import annotations


def counts_lines(counts: dict[str, int]) -> list[str]:
    width = max((len(table) for table in counts), default=0)
    total = sum(counts.values())
    lines = [f"{len(counts)} tables, {total} rows:"]
    lines += [f"  {table:<{width}}  {rows:>9}" for table, rows in sorted(counts.items())]
    return lines
