"""Change history and the patient-record access log; the one access path `restrict`."""
