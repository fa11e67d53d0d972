"""Hooks the apps above `members` fill in their `AppConfig.ready()`.

The notification layer knows how to store, check and send any email, but not what a
meeting or a group is. The app that owns a kind of email registers here what only it
knows: whether a queued message went stale, what its template needs at send time, the
recipient's own signed links, which roles a person holds. `members` never imports the
apps above it; they call these registries, like the permission registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class KindHooks:
    """What the owning app adds to one kind of email. Every hook is optional.

    - `batch_facts(deliveries)`: read once for a batch of this kind's rows (say, who is
      still going to each meeting); its answer is passed to `stale`.
    - `stale(delivery, facts)`: why the queued message should not go out any more ("" when
      it should); `facts` is what `batch_facts` read, or None for a single row.
    - `render_context(delivery)`: values the templates need, computed at send time.
    - `personal_links(delivery)`: signed links only the recipient may use.
    - `notice(about, context)`: (title, path) for the notifications list, when `notify`
      writes a notice: what the message is about in a few plain words (a group's name)
      and the page it links to on this site. Without it: no title (the kind's label is
      shown) and the thing's `get_absolute_url()`, if any.
    """

    batch_facts: Callable[[list], Any] | None = None
    stale: Callable[[Any, Any], str] | None = None
    render_context: Callable[[Any], dict] | None = None
    personal_links: Callable[[Any], dict] | None = None
    notice: Callable[[Any, dict], tuple[str, str]] | None = None


NO_HOOKS = KindHooks()
_KIND_HOOKS: dict[str, KindHooks] = {}
# Each finder takes a user and returns role names ("facilitator", "organizer", ...).
_PERSON_ROLE_FINDERS: list[Callable[[Any], Iterable[str]]] = []
# Each provider takes the signed-in user and returns extra context for the preferences page.
_PREFERENCES_CONTEXT: list[Callable[[Any], dict]] = []


def kind_hooks_register(kinds: Iterable[str], hooks: KindHooks) -> None:
    """Register `hooks` for each of `kinds`; registering a kind again replaces its hooks."""
    for kind in kinds:
        _KIND_HOOKS[kind] = hooks


def kind_hooks(kind: str) -> KindHooks:
    return _KIND_HOOKS.get(kind, NO_HOOKS)


def person_role_finder_register(find: Callable[[Any], Iterable[str]]) -> None:
    if find not in _PERSON_ROLE_FINDERS:
        _PERSON_ROLE_FINDERS.append(find)


def person_role_finders() -> list[Callable[[Any], Iterable[str]]]:
    return list(_PERSON_ROLE_FINDERS)


def preferences_context_register(provide: Callable[[Any], dict]) -> None:
    if provide not in _PREFERENCES_CONTEXT:
        _PREFERENCES_CONTEXT.append(provide)


def preferences_context(user) -> dict:
    """What the apps above add to a member's notification preferences page."""
    context: dict = {}
    for provide in _PREFERENCES_CONTEXT:
        context.update(provide(user))
    return context


# --- Deleting an account ------------------------------------------------------------------
# Checks take the account and return why it cannot be deleted now ("" when it can); steps
# take the account and clear what their app keeps of it, before its rows are unlinked.
_ACCOUNT_DELETE_CHECKS: list[Callable[[Any], str]] = []
_ACCOUNT_DELETE_STEPS: list[Callable[[Any], None]] = []


def account_delete_register(
    *, check: Callable[[Any], str] | None = None, steps: Iterable[Callable[[Any], None]] = ()
) -> None:
    if check is not None and check not in _ACCOUNT_DELETE_CHECKS:
        _ACCOUNT_DELETE_CHECKS.append(check)
    for step in steps:
        if step not in _ACCOUNT_DELETE_STEPS:
            _ACCOUNT_DELETE_STEPS.append(step)


def account_delete_refusal(user) -> str:
    """The first reason an app gives not to delete `user` now ("" when none does)."""
    for check in _ACCOUNT_DELETE_CHECKS:
        reason = check(user)
        if reason:
            return reason
    return ""


def account_delete_steps() -> list[Callable[[Any], None]]:
    return list(_ACCOUNT_DELETE_STEPS)
