"""Writing in the group space: starting threads, replying, editing, deleting, and one's
own settings (pseudonym, reading while on a break)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership, PeerGroup
from peersupport.errors import DomainError
from space import selectors
from space.models import Participant, Post, Thread
from space.services import crisis
from space.services.notices import post_published, waiting_send


@dataclass(frozen=True)
class Written:
    """What happened to a new post: where it is and whether the author should see the
    crisis resources now."""

    post: Post
    watched: bool

    @property
    def waiting(self) -> bool:
        return self.post.is_waiting


def participant_get(*, group: PeerGroup, user) -> Participant:
    participant, _created = Participant.objects.get_or_create(group=group, user=user)
    return participant


def _first_status(*, group: PeerGroup, user) -> str:
    """Published, or waiting for approval when the group approves a new member's first
    post and this member has none approved yet (facilitators never wait)."""
    if selectors.is_facilitator(user, group):
        return Post.Status.PUBLISHED
    settings = selectors.group_settings_of(group)
    participant = selectors.participant_of(user, group)
    trusted = participant is not None and participant.approved
    if settings.approve_first_posts and not trusted:
        return Post.Status.AWAITING_APPROVAL
    return Post.Status.PUBLISHED


def _name_for(*, group: PeerGroup, user) -> str:
    """The pseudonym to write the post under ("" for the display name). Facilitators
    always write under their own name: members need to know who runs the group."""
    if selectors.is_facilitator(user, group):
        return ""
    participant = selectors.participant_of(user, group)
    allowed = selectors.group_settings_of(group).pseudonyms_allowed
    if allowed and participant is not None and participant.use_pseudonym:
        return participant.pseudonym
    return ""


def _write(*, thread: Thread, author, body: str) -> Written:
    group = thread.group
    post = Post.objects.create(
        thread=thread,
        author=author,
        pseudonym=_name_for(group=group, user=author),
        body=body.strip(),
        status=_first_status(group=group, user=author),
    )
    watched = crisis.post_check(post=post)
    if post.is_published:
        Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
        post_published(post=post)
    elif post.is_awaiting_approval:
        waiting_send(post=post)
    return Written(post=post, watched=watched)


@transaction.atomic
def thread_start(*, group: PeerGroup, author, title: str, body: str) -> Written:
    """A new thread with its first post."""
    refusal = selectors.post_refusal(author, group)
    if refusal:
        raise DomainError(refusal)
    thread = Thread.objects.create(
        group=group,
        title=title.strip(),
        author=author,
        pseudonym=_name_for(group=group, user=author),
    )
    return _write(thread=thread, author=author, body=body)


@transaction.atomic
def reply_add(*, thread: Thread, author, body: str) -> Written:
    # Lock the thread: two quick replies in slow mode must not both pass the check.
    thread = Thread.objects.select_for_update().select_related("group").get(pk=thread.pk)
    refusal = selectors.post_refusal(author, thread.group, thread) or (
        selectors.slow_mode_refusal(author, thread)
    )
    if refusal:
        raise DomainError(refusal)
    return _write(thread=thread, author=author, body=body)


@transaction.atomic
def post_edit(*, post: Post, user, body: str) -> Post:
    """Authors correct their post within the edit window; it then shows "edited"."""
    post = Post.objects.select_for_update().select_related("thread__group").get(pk=post.pk)
    if not selectors.can_edit(post, user):
        raise DomainError(_("A post can be edited only by its author, in the first 15 minutes."))
    post.body = body.strip()
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    crisis.post_check(post=post)
    return post


@transaction.atomic
def post_delete(*, post: Post, user) -> Post:
    """The author removes their post: it reads "removed by the author"; the words go."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id != user.pk:
        raise DomainError(_("Only the author can remove this post."))
    post.status = Post.Status.REMOVED_BY_AUTHOR
    post.body = ""
    post.save(update_fields=["status", "body"])
    return post


def _is_a_members_name(group: PeerGroup, name: str) -> bool:
    return Membership.objects.filter(group=group, user__display_name__iexact=name).exists()


@transaction.atomic
def participant_settings_save(
    *,
    group: PeerGroup,
    user,
    pseudonym: str | None,
    use_pseudonym: bool | None,
    reads_on_break: bool,
) -> Participant:
    """One's own name in the space and whether to read it while on a break. A pseudonym
    is unique in the group; changing it never renames posts already written. None keeps
    the pseudonym as it is (the group does not offer pseudonyms now)."""
    participant = Participant.objects.select_for_update().get_or_create(group=group, user=user)[0]
    if pseudonym is None:
        pseudonym, use_pseudonym = participant.pseudonym, participant.use_pseudonym
    pseudonym = pseudonym.strip()
    if pseudonym and _is_a_members_name(group, pseudonym):
        raise DomainError(_("Please choose a pseudonym that is not a member's name."))
    participant.pseudonym = pseudonym
    participant.use_pseudonym = bool(use_pseudonym) and bool(participant.pseudonym)
    participant.reads_on_break = reads_on_break
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise DomainError(_("Someone in this group already uses that pseudonym.")) from None
    selectors.forget_participant(user)
    return participant
