"""Crisis-aware moderation: a post with watched words is never silently blocked.

It is published or held, as the organisation chose; the author is shown the crisis
resources at once (the views send them to the care page when `post_check` says so); the
group's facilitators get an urgent follow-up in the queue of "I'd like more support".
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from groups.services.safety import support_request_flag_urgent
from peersupport.audit import audit_record
from space import selectors
from space.models import OrganisationSpacePolicy, Post
from space.watch import phrases_from, watched_matches


def post_check(*, post: Post) -> bool:
    """Look for watched words in `post`; on a match, mark it, hold it if the organisation
    wants that, and raise the urgent follow-up. True when it matched."""
    group = post.thread.group
    policy = selectors.policy_of(group.organisation_id)
    text = f"{post.thread.title}\n{post.body}" if _is_opener(post) else post.body
    if not watched_matches(text, phrases_from(policy.watched_phrases)):
        return False
    post.watched_match = True
    fields = ["watched_match"]
    if policy.on_match == OrganisationSpacePolicy.OnMatch.HOLD and post.is_published:
        post.status = Post.Status.HELD
        fields.append("status")
    post.save(update_fields=fields)
    if post.author_id is not None:
        _follow_up(post)
    return True


def _is_opener(post: Post) -> bool:
    return not Post.objects.filter(thread_id=post.thread_id, pk__lt=post.pk).exists()


def _follow_up(post: Post) -> None:
    group = post.thread.group
    # A held post is read in the moderation queue; a published one in its thread.
    if post.is_published:
        path = post.thread.get_absolute_url() + f"#post-{post.pk}"
    else:
        path = reverse("space:moderation", args=[group.slug])
    support_request_flag_urgent(
        group=group,
        member=post.author,
        message=_("A post in the group space used words the organisation watches for."),
        link=settings.SITE_URL + path,
    )
    if post.pseudonym:
        # The follow-up names the person behind a pseudonym, so facilitators can reach
        # out: a look-up like any other, kept in the audit log.
        audit_record(
            actor=None,
            action="space_pseudonym_crisis",
            organisation=group.organisation_id,
            target_repr=_("post %(pk)s") % {"pk": post.pk},
            subject=post.author,
        )
