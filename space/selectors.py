"""Reads of the group space: who may read, post and moderate; the board, a thread, the
moderation queue; the names posts are shown under."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import Membership, PeerGroup
from groups.selectors import is_facilitator, membership
from groups.selectors.agreements import has_signed_current_agreement
from peersupport import cache
from space.models import (
    GroupSpaceSettings,
    OrganisationSpacePolicy,
    Participant,
    Post,
    Report,
    Thread,
)
from space.watch import default_phrases_text, phrases_from

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 50
EDIT_WINDOW_MINUTES = 15
FORMER_MEMBER = gettext_lazy("a former member")


# --- who may do what --------------------------------------------------------------------
def participant_of(user, group: PeerGroup) -> Participant | None:
    """This person's row in the group's space (None until they first post or choose)."""

    def load() -> Participant | None:
        return Participant.objects.filter(group=group, user=user).first()

    cached = getattr(user, "_space_participants", None)
    if cached is None:
        cached = user._space_participants = {}
    if group.pk not in cached:
        cached[group.pk] = cache.fetch(*participant_entry(group.pk, user.pk), load)
    return cached[group.pk]


def participant_entry(group_id: int, user_id: int) -> tuple[str, tuple[str, ...]]:
    """The key and scopes `participant_of` keeps a person's row under (their own: saving
    it renews the person's scope)."""
    return f"space-participant:{group_id}:{user_id}", (f"person:{user_id}",)


def forget_participant(user) -> None:
    if hasattr(user, "_space_participants"):
        del user._space_participants


def is_signed_member(user, group: PeerGroup) -> bool:
    """Taking part in the group (active or on a break) with the current agreement signed:
    the people who may choose their name in the space and, on a break, to read it; and
    the group's facilitators."""
    if is_facilitator(user, group):
        return True
    found = membership(user, group)
    return bool(found and found.is_taking_part and has_signed_current_agreement(user, group))


def can_read_space(user, group: PeerGroup) -> bool:
    """Facilitators of the group; active members who signed the current agreement; members
    on a break who signed it and chose to keep reading. Nobody else (organizers neither:
    the space stays inside the group's confidentiality agreement)."""
    if is_facilitator(user, group):
        return True
    found = membership(user, group)
    if found is None or not is_signed_member(user, group):
        return False
    if found.status == Membership.Status.ACTIVE:
        return True
    chosen = participant_of(user, group)
    return bool(found.is_on_break and chosen is not None and chosen.reads_on_break)


def post_refusal(user, group: PeerGroup, thread: Thread | None = None) -> str:
    """Why this reader may not post here now ("" when they may)."""
    if is_facilitator(user, group):
        return ""
    found = membership(user, group)
    if found is None or found.status != Membership.Status.ACTIVE:
        return _("You can read the space while on a break; come back to the group to post.")
    chosen = participant_of(user, group)
    if chosen is not None and chosen.is_suspended:
        return _("You are suspended from posting in this space until %(date)s.") % {
            "date": formats.date_format(
                timezone.localtime(chosen.suspended_until), "SHORT_DATETIME_FORMAT"
            )
        }
    if thread is not None and thread.locked:
        return _("This thread is locked: no new replies.")
    return ""


def slow_mode_refusal(user, thread: Thread) -> str:
    """In slow mode a member replies at most once per `slow_mode_minutes` in the thread."""
    if not thread.slow_mode_minutes or is_facilitator(user, thread.group):
        return ""
    since = timezone.now() - datetime.timedelta(minutes=thread.slow_mode_minutes)
    if Post.objects.filter(thread=thread, author=user, created_at__gt=since).exists():
        return _(
            "This thread is in slow mode: please wait %(minutes)s minutes between replies."
        ) % {"minutes": thread.slow_mode_minutes}
    return ""


def group_settings_of(group: PeerGroup) -> GroupSpaceSettings:
    found = GroupSpaceSettings.objects.filter(group=group).first()
    return found or GroupSpaceSettings(group=group)


def policy_of(organisation_id: int) -> OrganisationSpacePolicy:
    found = OrganisationSpacePolicy.objects.filter(organisation_id=organisation_id).first()
    return found or OrganisationSpacePolicy(
        organisation_id=organisation_id, watched_phrases=default_phrases_text()
    )


def watched_phrases_of(organisation_id: int) -> list[str]:
    return phrases_from(policy_of(organisation_id).watched_phrases)


# --- names ------------------------------------------------------------------------------
def shown_name(row) -> str:
    """The name a post or thread opener is shown under: its pseudonym when written under
    one, else the author's display name, or "a former member" once they are gone."""
    if row.author_id is None:
        return str(FORMER_MEMBER)
    if row.pseudonym:
        return row.pseudonym
    return row.author.display_name


# --- the board and a thread -------------------------------------------------------------
def board_threads(group: PeerGroup) -> QuerySet[Thread]:
    """Threads with at least one post readers see, with their number of replies."""
    shown = Q(posts__status__in=Post.SHOWN)
    return (
        Thread.objects.filter(group=group)
        .annotate(shown_posts=Count("posts", filter=shown))
        .filter(shown_posts__gt=0)
        .select_related("author")
        .board_order()
    )


class PostRow(NamedTuple):
    """What a thread's page needs of one of its posts, kept with the thread's rows as a
    plain tuple (`loaders.thread_page_or_404`): its text is kept drawn
    (`space.views.board`), so no body."""

    pk: int
    author_id: int | None
    status: str
    created_at: datetime.datetime
    kept_name: str | None  # None once the author is gone (`kept_name_shown`)

    @property
    def shown_as(self) -> str:
        return kept_name_shown(self.kept_name)

    @property
    def is_removed(self) -> bool:
        return self.status in Post.REMOVED

    @property
    def is_waiting(self) -> bool:
        return self.status in Post.WAITING


def kept_name_shown(name: str | None) -> str:
    """A kept row's name as this reader sees it. The rows are kept once for readers of
    every language, so "a former member" is kept as None and worded here, in theirs."""
    return str(FORMER_MEMBER) if name is None else name


def thread_drawn_scopes(thread_id: int, group_id: int) -> tuple[str, ...]:
    """What a thread's page reads and draws its posts from, as every reader sees them:
    the thread and its posts, the group (its address is in their links) and the names
    of their authors."""
    return (f"thread:{thread_id}", f"group:{group_id}", "people")


def thread_rows_for(rows: list[tuple], user) -> list[tuple]:
    """The posts of a thread this reader sees: shown ones, and their own waiting ones.
    `rows` as kept (plain tuples of `PostRow`'s fields: cheaper to read back from the
    cache than named ones, which only the page's rows become)."""
    user_id = user.pk
    return [
        row
        for row in rows
        if row[2] in Post.SHOWN
        or (row[1] is not None and row[1] == user_id and row[2] in Post.WAITING)
    ]


def can_edit(post: Post, user) -> bool:
    """Authors edit their own post in the first minutes after writing it."""
    window = datetime.timedelta(minutes=EDIT_WINDOW_MINUTES)
    return (
        post.author_id == user.pk
        and not post.is_removed
        and timezone.now() - post.created_at <= window
    )


def reported_in(user, thread_id: int) -> frozenset[int]:
    """Ids of the thread's posts this reader reported: theirs alone, kept under their own
    scope (a report renews its reporter's)."""

    def load() -> frozenset[int]:
        found = Report.objects.filter(reporter=user, post__thread_id=thread_id)
        return frozenset(found.values_list("post_id", flat=True))

    return cache.fetch(*reported_entry(thread_id, user.pk), load)


def reported_entry(thread_id: int, user_id: int) -> tuple[str, tuple[str, ...]]:
    return f"space-reported:{thread_id}:{user_id}", (f"person:{user_id}",)


# --- moderation -------------------------------------------------------------------------
def moderation_queue(group: PeerGroup) -> QuerySet[Post]:
    """Posts waiting for a facilitator, oldest first, with their open reports."""
    open_reports = Report.objects.filter(dismissed=False).order_by("created_at", "pk")
    return (
        Post.objects.filter(thread__group=group, status__in=Post.WAITING)
        .select_related("thread", "author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("created_at", "pk")
    )


def waiting_counts(group_ids: list[int]) -> dict[int, int]:
    """{group id: posts waiting for a facilitator} for these groups (one query, none
    without groups)."""
    if not group_ids:
        return {}
    rows = (
        Post.objects.filter(thread__group_id__in=group_ids, status__in=Post.WAITING)
        .values("thread__group_id")
        .annotate(n=Count("pk"))
    )
    return {row["thread__group_id"]: row["n"] for row in rows}


def reported_posts(group: PeerGroup) -> QuerySet[Post]:
    """Shown posts with open reports not (yet) enough to hide them."""
    open_reports = Report.objects.filter(dismissed=False).order_by("created_at", "pk")
    return (
        Post.objects.filter(
            thread__group=group,
            status=Post.Status.PUBLISHED,
            reports__dismissed=False,
        )
        .distinct()
        .select_related("thread", "author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("created_at", "pk")
    )


def suspended_participants(group: PeerGroup) -> list[Participant]:
    rows = Participant.objects.filter(group=group, suspended_until__gt=timezone.now())
    return list(rows.select_related("user").order_by("suspended_until", "pk"))
