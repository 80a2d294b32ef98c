"""The language of the current request, as one of the three the app speaks."""

from django.utils.translation import get_language

LANGUAGES = ("nb", "da", "en")


def current_language(default: str = "en") -> str:
    """nb, da or en; `default` when the request's language is none of them."""
    language = (get_language() or default)[:2]
    return language if language in LANGUAGES else default
