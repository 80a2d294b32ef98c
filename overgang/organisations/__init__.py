"""Trusts, hospitals, departments, municipalities, districts, units; users' memberships and roles."""
