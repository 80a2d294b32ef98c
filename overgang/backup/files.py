"""Where backups go, and how a backup file comes into being: readable by its owner alone
(it holds every patient's data) and under its final name only once it is whole."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

OWNER_ONLY = 0o600


def default_path(suffix: str) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"overgang-{stamp}{suffix}"


@contextmanager
def written_whole(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` to write to, renamed to `target` when the block ends
    without an error and removed when it fails: a scheduled job never leaves a half backup
    that looks whole."""
    if target.exists():
        raise CommandError(f"{target} already exists: name a new file.")
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise CommandError(f"cannot create the folder {folder}: {error.strerror}") from None
    partial = folder / f".{target.name}.partial"
    partial.unlink(missing_ok=True)
    partial.touch(mode=OWNER_ONLY)
    try:
        yield partial
        os.chmod(partial, OWNER_ONLY)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)


def size_shown(path: Path) -> str:
    size = float(path.stat().st_size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")
