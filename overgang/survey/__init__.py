"""The patient-pathway survey (N12): after discharge the citizen or a relative answers three
questions on a link that needs no login, and the answers feed the indicators."""
