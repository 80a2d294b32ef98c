"""Demo data: organisations of the four areas, the contract's users, fictitious patients."""
