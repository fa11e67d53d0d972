"""The single permission layer.

Every view names the rule it needs (`permission = "groups.edit"`); a rule is a plain
function `(user, obj) -> bool` registered here by name. Views, the loaders in
`<app>/loaders.py`, services, template context (views pass `can_*` flags computed with
`has_perm`) and tests all ask `has_perm`; nothing else decides who may see or do what.

Rules live next to their app (`<app>/rules.py`, imported by the app's `ready()`), but
they are all registered in this one registry. `tests/test_access_matrix.py`, with its
rows in `tests/access/`, checks every URL of the project against every role, and fails
when a URL's view names no rule (`view_permission`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register `func` as the rule called `name`."""

    def register(func: Rule) -> Rule:
        if name in _RULES and _RULES[name] is not func:
            raise ImproperlyConfigured(f"permission rule {name!r} is defined twice")
        _RULES[name] = func
        return func

    return register


def has_perm(user, name: str, obj: Any = None) -> bool:
    """True when `user` may do `name` (on `obj`). Unknown names are a programming error."""
    try:
        check = _RULES[name]
    except KeyError:
        raise ImproperlyConfigured(f"no permission rule called {name!r}") from None
    return bool(check(user, obj))


def require(user, name: str, obj: Any = None, *, hide: bool = True) -> None:
    """Raise unless allowed: 404 when `hide` (never reveal that a private thing exists)."""
    if not has_perm(user, name, obj):
        raise Http404 if hide else PermissionDenied


# --- Rules every app uses -------------------------------------------------------------
def signed_in(user) -> bool:
    """A signed-in person whose account is active: the first condition of most rules."""
    return bool(user and user.is_authenticated and user.is_active)


def signed_in_rules(checks: dict[str, Rule], *, through: str | None = None) -> None:
    """Register each `name: check` as the rule "signed in, and `check(user, place)`".

    The place is the rule's object or, with `through`, that object's attribute of that
    name (a meeting's `group`). Most rules are this shape: a role in a group or an
    organisation, asked of a signed-in person.
    """
    for name, check in checks.items():
        rule(name)(_signed_in_and(check, through))


def _signed_in_and(check: Rule, through: str | None) -> Rule:
    def allowed(user, obj) -> bool:
        return signed_in(user) and check(user, getattr(obj, through) if through else obj)

    return allowed


@rule("public")
def _public(user, obj) -> bool:
    return True


@rule("signed_in")
def _signed_in(user, obj) -> bool:
    return signed_in(user)


@rule("staff")
def _staff(user, obj) -> bool:
    return signed_in(user) and user.is_staff


# --- Views ----------------------------------------------------------------------------
class PermissionMixin:
    """First mixin of every class-based view.

    `permission` names the rule; `get_permission_object()` returns the object the rule
    is checked against (None for page-level rules). Visitors are sent to sign in; signed-in
    people without the right get 404 (`hide_denied`, the default) or 403.
    """

    permission: str = ""
    hide_denied: bool = True

    def get_permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not self.permission:
            raise ImproperlyConfigured(f"{type(self).__name__} names no permission rule")
        if self.permission != "public" and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.permission_object = self.get_permission_object()
        require(request.user, self.permission, self.permission_object, hide=self.hide_denied)
        return super().dispatch(request, *args, **kwargs)


def permission_required(name: str, *, hide: bool = True):
    """The function-view twin of PermissionMixin, for page-level rules."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if name != "public" and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, name, hide=hide)
            return view(request, *args, **kwargs)

        wrapped.permission = name
        return wrapped

    return decorator


def view_permission(view) -> str | None:
    """The rule a resolved view declares, for the test that no view skips the layer."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "permission", None) or None
    return getattr(view, "permission", None)
