"""Serving Overgang in production: the gunicorn settings (gunicorn_config) and what the
server and worker processes share (docs/deployment.md)."""
