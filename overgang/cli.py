"""The `overgang` command: Django's management commands under the project's own name.

`overgang demo`, `overgang runserver`, `overgang migrate` … are the same as
`python manage.py …`, so operators need only one name.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["overgang", *(sys.argv[1:] if argv is None else argv)])
