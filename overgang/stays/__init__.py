"""Stays: admission to discharge, with the messages, deadlines and checklists of the
transition between hospital and municipality (R1–R10, H1, H4, N5)."""
