"""The notifications list (the bell): notices `notify` writes for kinds that go to the app.

A notice is keyed like its ledger row (kind, thing, key, recipient) with a unique
constraint, so a second `notify` for the same message writes nothing. Its title is plain
text the owning app gives (`KindHooks.notice`), escaped where it is shown; the sentence
around it is the kind's, translated when the list is shown. The unread count every page
shows is kept by the one cache mechanism under the scope "notices:<user>", which every
write here renews.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from members.hooks import kind_hooks
from members.models import Notice, NotificationPreference, User
from members.notifications.kinds import KINDS
from peersupport.cache import fetch, renew

TITLE_MAX = Notice._meta.get_field("title").max_length
LINK_MAX = Notice._meta.get_field("link").max_length


def notice_scope(user_id: int) -> str:
    return f"notices:{user_id}"


def _safe_path(link: str) -> str:
    """A path on this site, or "" (never another site: the list redirects to it)."""
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return ""
    return link if len(link) <= LINK_MAX else ""


def notice_fields(kind: str, about, context: dict) -> tuple[str, str]:
    """(title, path) of a notice about `about`, from the owning app's hook if it has one."""
    make = kind_hooks(kind).notice
    if make is not None:
        title, link = make(about, context)
    else:
        url = getattr(about, "get_absolute_url", None)
        title, link = "", (url() if callable(url) else "")
    return " ".join(str(title).split())[:TITLE_MAX], _safe_path(str(link))


def app_wanted_by(kind: str, user_ids) -> set[int]:
    """Which of these people want `kind` in the app (one query; none for a kind that
    cannot go there)."""
    user_ids = set(user_ids)
    spec = KINDS[kind]
    if not spec.in_app or not user_ids:
        return set()
    if not spec.optional:
        return user_ids
    muted = NotificationPreference.objects.filter(
        user_id__in=user_ids, app_muted_kinds__contains=[kind]
    ).values_list("user_id", flat=True)
    return user_ids - set(muted)


def notices_write(
    *, kind: str, about, key: str, recipient_ids, context: dict, about_type=None
) -> None:
    """One notice per recipient for this message; those that exist are left alone."""
    recipient_ids = list(recipient_ids)
    if not recipient_ids:
        return
    title, link = notice_fields(kind, about, context)
    about_type = about_type or ContentType.objects.get_for_model(about)
    now = timezone.now()
    Notice.objects.bulk_create(
        [
            Notice(
                kind=kind,
                about_type=about_type,
                about_id=about.pk,
                key=key,
                recipient_id=user_id,
                title=title,
                link=link,
                created_at=now,
            )
            for user_id in recipient_ids
        ],
        ignore_conflicts=True,
    )
    renew(*map(notice_scope, recipient_ids))  # bulk_create sends no signal


def notices_forget(*, about) -> int:
    """Every notice about `about` goes (a declined invitation leaves nothing behind)."""
    found = Notice.objects.filter(
        about_type=ContentType.objects.get_for_model(about), about_id=about.pk
    )
    recipients = set(found.values_list("recipient_id", flat=True))
    deleted, _ = found.delete()
    renew(*map(notice_scope, recipients))
    return deleted


# --- Reading and marking ----------------------------------------------------------------
def notices_of(user: User):
    """The member's notices, newest first."""
    return Notice.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_entry(user_id: int) -> tuple[str, tuple[str, ...]]:
    """The bell's cache entry and its scope: read ahead with the account on every
    signed-in page (`peersupport.cache.PERSON_ENTRIES`)."""
    return f"notices-unread:{user_id}", (notice_scope(user_id),)


def notices_unread_count(user) -> int:
    """The bell's number: kept in the cache until a notice of theirs is written or read."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key, scopes = unread_entry(user.pk)
    return fetch(key, scopes, lambda: Notice.objects.filter(recipient_id=user.pk).unread().count())


def notice_mark_read(*, notice: Notice) -> None:
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])


def notices_mark_all_read(*, user: User) -> int:
    marked = Notice.objects.filter(recipient=user).unread().update(read_at=timezone.now())
    if marked:
        renew(notice_scope(user.pk))  # `.update()` sends no signal
    return marked


def notice_text(notice: Notice) -> str:
    """The notice's sentence in the active language (its kind may have gone: the label
    of a kind an app no longer registers is unknown, so its title alone)."""
    spec = KINDS.get(notice.kind)
    return spec.notice_text(notice.title) if spec else notice.title
