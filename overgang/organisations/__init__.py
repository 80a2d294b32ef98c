"""Trusts, hospitals, departments, municipalities, districts, units; memberships and roles."""
