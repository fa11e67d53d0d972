"""Reads of the group space: who may read, post and moderate; the board, a thread, the
moderation queue; the names posts are shown under."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import Membership, PeerGroup
from groups.selectors import is_facilitator, membership
from groups.selectors.agreements import has_signed_current_agreement
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
    cached = getattr(user, "_space_participants", None)
    if cached is None:
        cached = user._space_participants = {}
    if group.pk not in cached:
        cached[group.pk] = Participant.objects.filter(group=group, user=user).first()
    return cached[group.pk]


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


def thread_posts(thread: Thread, user) -> QuerySet[Post]:
    """The thread's posts this reader sees: shown ones, and their own waiting ones."""
    visible = Q(status__in=Post.SHOWN) | Q(author=user, status__in=Post.WAITING)
    return (
        Post.objects.filter(thread=thread)
        .filter(visible)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def thread_drawn_scopes(thread: Thread) -> tuple[str, ...]:
    """What a thread's posts are drawn from, as every reader sees them: the posts, the
    group (its address is in their links) and the names of their authors."""
    return (f"thread:{thread.pk}", f"group:{thread.group_id}", "people")


def can_edit(post: Post, user) -> bool:
    """Authors edit their own post in the first minutes after writing it."""
    window = datetime.timedelta(minutes=EDIT_WINDOW_MINUTES)
    return (
        post.author_id == user.pk
        and not post.is_removed
        and timezone.now() - post.created_at <= window
    )


def reported_by(user, posts) -> set[int]:
    """Ids of these posts the reader already reported (one query)."""
    ids = [post.pk for post in posts]
    return set(
        Report.objects.filter(reporter=user, post_id__in=ids).values_list("post_id", flat=True)
    )


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
