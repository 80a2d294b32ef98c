"""Demo data: the organisations of the four agreement areas, the contract's users, fictitious patients."""
