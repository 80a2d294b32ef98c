"""What every response says about itself to the browser, and how long a login lasts
(docs/security.md)."""
