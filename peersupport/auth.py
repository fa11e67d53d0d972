"""Authentication backends that read the signed-in account from the cache.

Every signed-in request loads its account (Django's AuthenticationMiddleware asks the
backend the session names). These backends are Django's and allauth's own, except that
`get_user` goes through `peersupport.cache` under the scope "person:<id>", which every
save of the account renews (`peersupport.cache_scopes`): a new password, a deactivation or an
edited profile shows on the very next request.

The cached copy never holds the password hash: it is removed from the loaded row (Django
then treats the field as deferred, so a save writes every other field and never blanks
it) and only the session verification hash derived from it is kept, the same value the
session itself already stores. Anything that reads the password (changing it, checking
it) loads it from the database as usual.
"""

from __future__ import annotations

import hashlib

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from peersupport import cache


def _without_password(user):
    if user is not None:
        user.__dict__["_ps_session_auth_hash"] = user.get_session_auth_hash()
        del user.__dict__["password"]
    return user


def _secret_fingerprint() -> str:
    # The kept hash is derived with SECRET_KEY: processes with another key (a rotation
    # under way, a benchmark's own key) keep their own copies rather than share one.
    return hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:12]


class CachedAccountMixin:
    def get_user(self, user_id):
        if not cache.enabled():
            return super().get_user(user_id)
        load = super().get_user
        key = f"account:{user_id}:{_secret_fingerprint()}"
        # The other entries every signed-in page reads about its person come along.
        keys, scopes = [key], [f"person:{user_id}"]
        for entry in cache.PERSON_ENTRIES:
            more_key, more_scopes = entry(user_id)
            keys.append(more_key)
            scopes.extend(more_scopes)
        cache.read_ahead(keys, scopes)
        return cache.fetch(key, (f"person:{user_id}",), lambda: _without_password(load(user_id)))


class ModelBackend(CachedAccountMixin, DjangoModelBackend):
    """Django's backend (staff signing in to the admin, tests' force_login)."""


class AuthenticationBackend(CachedAccountMixin, AllauthBackend):
    """allauth's backend (sign-in by email)."""
