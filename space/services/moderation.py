"""Moderating the space: reports, review of waiting posts, thread settings, suspensions,
pseudonym look-ups, the group's and the organisation's settings. Every facilitator or
organizer action is written to the audit log (`peersupport.audit`)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Organisation, PeerGroup
from peersupport.audit import audit_record
from peersupport.errors import DomainError
from space import selectors
from space.models import (
    GroupSpaceSettings,
    OrganisationSpacePolicy,
    Participant,
    Post,
    Report,
    Thread,
)
from space.services.notices import (
    moderation_outcome_send,
    post_published,
    suspension_send,
    waiting_send,
)

# Reports by this many members (or one by a facilitator) hide a post until reviewed.
MEMBER_REPORTS_TO_HIDE = 2


def _audit(*, by, action: str, group: PeerGroup, what, subject=None, details=None) -> None:
    audit_record(
        actor=by,
        action=action,
        organisation=group.organisation_id,
        target_repr=f"{what._meta.verbose_name} {what.pk}",
        subject=subject,
        details=details,
    )


@transaction.atomic
def post_report(*, post: Post, reporter, reason: str, note: str = "") -> Report:
    """A reader reports a post to the facilitators; enough reports hide it for review."""
    post = Post.objects.select_for_update().select_related("thread__group").get(pk=post.pk)
    group = post.thread.group
    if post.author_id == reporter.pk:
        raise DomainError(_("You can delete or edit your own post instead of reporting it."))
    if Report.objects.filter(post=post, reporter=reporter).exists():
        raise DomainError(_("You have already reported this post. Thank you."))
    by_facilitator = selectors.is_facilitator(reporter, group)
    report = Report.objects.create(
        post=post,
        reporter=reporter,
        reason=reason,
        note=note.strip(),
        by_facilitator=by_facilitator,
    )
    open_reports = Report.objects.filter(post=post, dismissed=False)
    enough = by_facilitator or open_reports.count() >= MEMBER_REPORTS_TO_HIDE
    if enough and post.is_published:
        post.status = Post.Status.HIDDEN
        post.save(update_fields=["status"])
        _audit(by=None, action="space_post_hidden", group=group, what=post)
        waiting_send(post=post)
    return report


def _publish(post: Post) -> None:
    Thread.objects.filter(pk=post.thread_id, last_post_at__lt=post.created_at).update(
        last_post_at=post.created_at
    )
    post_published(post=post)


@transaction.atomic
def post_review(*, post: Post, by, decision: str, reason: str = "") -> Post:
    """A facilitator decides about a waiting or reported post: "approve" a first post,
    "restore" a hidden or held one (its reports no longer count), or "remove" it. The
    author is told the outcome and the reason."""
    post = Post.objects.select_for_update().select_related("thread__group").get(pk=post.pk)
    group = post.thread.group
    was_published = post.is_published
    if decision == "remove":
        if post.is_removed:
            raise DomainError(_("This post was already removed."))
        post.status = Post.Status.REMOVED
    elif decision in ("approve", "restore"):
        if not (post.is_waiting or was_published):
            raise DomainError(_("This post is not waiting for a review."))
        post.status = Post.Status.PUBLISHED
        Report.objects.filter(post=post).update(dismissed=True)
        if decision == "approve" and post.author_id is not None:
            Participant.objects.update_or_create(
                group=group, user_id=post.author_id, defaults={"approved": True}
            )
    else:
        raise DomainError(_("Please choose what to do with the post."))
    post.moderated_by, post.moderated_at = by, timezone.now()
    post.moderation_reason = reason.strip()
    post.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_reason"])
    if post.is_published and not was_published:
        _publish(post)
    if decision != "approve":
        moderation_outcome_send(post=post, outcome=decision, reason=post.moderation_reason)
    _audit(by=by, action=f"space_post_{decision}", group=group, what=post, subject=post.author)
    return post


@transaction.atomic
def thread_moderate(
    *, thread: Thread, by, pinned: bool, locked: bool, slow_mode_minutes: int
) -> Thread:
    """Pin, lock or slow down a thread."""
    thread.pinned, thread.locked = pinned, locked
    thread.slow_mode_minutes = slow_mode_minutes
    thread.save(update_fields=["pinned", "locked", "slow_mode_minutes"])
    details = {"pinned": pinned, "locked": locked, "slow_mode_minutes": slow_mode_minutes}
    _audit(by=by, action="space_thread_settings", group=thread.group, what=thread, details=details)
    return thread


@transaction.atomic
def participant_suspend(*, post: Post, by, days: int, reason: str) -> Participant:
    """Suspend the author of `post` from posting in the group's space for `days`; they
    are told why and until when."""
    group = post.thread.group
    if post.author_id is None:
        raise DomainError(_("The author of this post no longer has an account."))
    if selectors.is_facilitator(post.author, group):
        raise DomainError(_("Facilitators cannot be suspended from their own group's space."))
    participant = Participant.objects.select_for_update().get_or_create(
        group=group, user_id=post.author_id
    )[0]
    participant.suspended_until = timezone.now() + datetime.timedelta(days=days)
    participant.suspension_reason = reason.strip()
    participant.save(update_fields=["suspended_until", "suspension_reason"])
    suspension_send(participant=participant, reason=participant.suspension_reason)
    _audit(
        by=by,
        action="space_suspend",
        group=group,
        what=post,
        subject=post.author,
        details={"days": days},
    )
    return participant


@transaction.atomic
def participant_unsuspend(*, participant: Participant, by) -> Participant:
    participant.suspended_until = None
    participant.save(update_fields=["suspended_until"])
    _audit(
        by=by,
        action="space_unsuspend",
        group=participant.group,
        what=participant,
        subject=participant.user,
    )
    return participant


def author_lookup(*, post: Post, by) -> str:
    """Who wrote a post under a pseudonym, for a facilitator's safeguarding: every
    look-up is in the audit log."""
    if post.author_id is None:
        return str(selectors.FORMER_MEMBER)
    _audit(
        by=by,
        action="space_pseudonym_lookup",
        group=post.thread.group,
        what=post,
        subject=post.author,
    )
    return post.author.display_name


@transaction.atomic
def group_settings_save(
    *, group: PeerGroup, by, pseudonyms_allowed: bool, approve_first_posts: bool
) -> GroupSpaceSettings:
    settings, _created = GroupSpaceSettings.objects.update_or_create(
        group=group,
        defaults={
            "pseudonyms_allowed": pseudonyms_allowed,
            "approve_first_posts": approve_first_posts,
        },
    )
    _audit(
        by=by,
        action="space_group_settings",
        group=group,
        what=settings,
        details={"pseudonyms": pseudonyms_allowed, "approve_first_posts": approve_first_posts},
    )
    return settings


@transaction.atomic
def policy_save(
    *,
    organisation: Organisation,
    by,
    watched_phrases: str,
    on_match: str,
    post_retention_days: int | None,
) -> OrganisationSpacePolicy:
    policy, _created = OrganisationSpacePolicy.objects.update_or_create(
        organisation=organisation,
        defaults={
            "watched_phrases": watched_phrases.strip(),
            "on_match": on_match,
            "post_retention_days": post_retention_days,
        },
    )
    audit_record(
        actor=by,
        action="space_watched_words",
        organisation=organisation,
        target_repr=_("watched words of the group spaces"),
        details={"on_match": on_match, "lines": len(watched_phrases.splitlines())},
    )
    return policy
