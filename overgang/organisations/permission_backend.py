"""Django's permissions from the admin (granted to a user or their groups), remembered by the
process between requests while the access stamp is unchanged.

ModelBackend reads them with two queries (the user's own, their groups') the first time a
request asks for a permission the rules (organisations/permissions.py) do not grant: every
page's menu asks for some (the access log, rejected messages, paused logins), so every
non-superuser paid both on every page. Every change of who holds which permission, of groups
or of the user writes a new access stamp (organisations/access_cache.py), so what is
remembered is used only until then. Whether the user is active or a superuser is read from the
user row of this request, never remembered.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from overgang.organisations import access_cache


class StampedModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        # A superuser's set is every permission there is (and never asked for: User.has_perm
        # answers for an active superuser itself). Inactive, anonymous and object
        # permissions are empty in ModelBackend without a query.
        if (
            obj is not None
            or not user_obj.is_active
            or user_obj.is_anonymous
            or user_obj.is_superuser
            or hasattr(user_obj, "_perm_cache")
        ):
            return super().get_all_permissions(user_obj, obj)
        # The stamp is read before the permissions: what is kept under it is never older.
        stamp = access_cache.stamp_of_request(user_obj)
        found = access_cache.recall_permissions(user_obj.pk, stamp)
        if found is None:
            found = frozenset(super().get_all_permissions(user_obj))
            access_cache.keep_permissions(user_obj.pk, stamp, found)
        # ModelBackend's own cache for the rest of the request; a set of its own, as there.
        mine = set(found)
        user_obj._perm_cache = mine
        return mine
