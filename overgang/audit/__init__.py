"""Change history and the patient-record access log. A leaf: it imports no domain app
(who may see what is `restrict`, see overgang.patients.access)."""
