"""Overgang: hospital and municipality coordinate a patient's aids across the transition."""
