"""OVERGANG_EMAIL_BACKEND may be Django's file backend (a test or staging system that must
send no e-mail): the e-mails land in OVERGANG_EMAIL_FILE_PATH. Without a folder the backend
refused every e-mail ("OPTIONS must define 'file_path'")."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_file_backend_writes_each_email_into_the_folder_named(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERGANG_", "DJANGO_"))}
    env |= {
        "OVERGANG_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OVERGANG_EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    send = (
        "from django.core.mail import send_mail; "
        "send_mail('Deadlines', 'Due now.', None, ['a@example.org'])"
    )
    done = subprocess.run(
        [sys.executable, "-m", "overgang", "shell", "--no-imports", "-c", send],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (written,) = (tmp_path / "mail").iterdir()
    assert "Subject: Deadlines" in written.read_text()
    assert "To: a@example.org" in written.read_text()
