"""whitenoise's middleware, with its list of files made once per process.

whitenoise lists every static file (and stats it) each time its middleware is made. A
server makes it once; Django's test client makes it for each client, that is for nearly
every test, and the list took 0.1–0.4 s each time. The files do not change while a process
runs (those that do, in `make dev`, are served by Django's development server), so the
list is made once per configuration and shared.

The collected copies in STATIC_ROOT are listed only when pages link to them
(settings.STATIC_HASHED); otherwise the apps' own files are the ones served, and a folder
left over from an earlier `overgang serve` is not read at all.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):  # type: ignore[misc]
    _listed: ClassVar[dict[tuple[Any, ...], dict[str, Any]]] = {}

    def add_files(self, root: Any, prefix: str | None = None) -> None:
        if str(root) == str(settings.STATIC_ROOT) and not settings.STATIC_HASHED:
            return
        super().add_files(root, prefix)

    def add_files_from_finders(self) -> None:
        key = (
            self.static_prefix,
            self.max_age,
            repr(settings.STORAGES),
            tuple(settings.INSTALLED_APPS),
            repr(getattr(settings, "STATICFILES_DIRS", ())),
        )
        if (listed := self._listed.get(key)) is None:
            before = dict(self.files)
            super().add_files_from_finders()
            listed = {url: f for url, f in self.files.items() if before.get(url) is not f}
            self._listed[key] = listed
        self.files.update(listed)
