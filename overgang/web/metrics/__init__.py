"""/metrics: how the server is doing, in Prometheus's text format, for the operators'
monitoring (docs/operations.md, "Metrics"). Counts and durations of requests by route, and
what the worker and the outbox have waiting; never anything of a patient."""
