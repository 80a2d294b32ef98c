"""The `overgang` command: Django's management commands under the project's own name.

`overgang demo`, `overgang runserver`, `overgang migrate` … are the same as
`python manage.py …`, so operators need only one name. A database that cannot be reached
stops a command with one line that names DATABASE_URL (without its password), not with a
traceback of Django's and the driver's insides.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from overgang import unavailable
    from overgang.database import shown

    try:
        execute_from_command_line(["overgang", *(sys.argv[1:] if argv is None else argv)])
    except unavailable.UNAVAILABLE as error:
        why = unavailable.unreachable_because(error)
        if why is None:
            raise
        sys.exit(
            f"overgang: cannot use the database at DATABASE_URL={shown(settings.DATABASE_URL)}"
            f": {why}"
        )
