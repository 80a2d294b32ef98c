"""Aids: the catalogue of aid types, devices with their status, loans, return and reprocessing."""
