"""The app's settings with the bench's URLconf: the product's routes and the bare views."""

from overgang.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load.urls"
