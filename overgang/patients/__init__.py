"""Patients: national IDs, registered address, residence, relatives, responsible hospital."""
