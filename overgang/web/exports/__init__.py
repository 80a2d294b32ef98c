"""Exporting a list: every list page offers the same CSV, Excel (XLSX) and print view of
the whole filtered list, described once per list by a `Table` (docs/exports.md)."""
