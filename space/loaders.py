"""Find the space's rows for a view, within the group named by the URL, or answer 404."""

from __future__ import annotations

from django.http import Http404

from groups.loaders import get_or_404
from groups.models import PeerGroup
from space.models import Participant, Post, Thread


def thread_or_404(group: PeerGroup, pk: int) -> Thread:
    return get_or_404(Thread.objects.select_related("group"), group=group, pk=pk)


def post_or_404(group: PeerGroup, pk: int) -> Post:
    """Any post of the group (moderation); views for readers use `readable_post_or_404`."""
    posts = Post.objects.select_related("thread__group", "author")
    return get_or_404(posts, thread__group=group, pk=pk)


def readable_post_or_404(group: PeerGroup, pk: int, user) -> Post:
    """A post this reader can see: shown to everyone, or their own."""
    post = post_or_404(group, pk)
    if not (post.status in Post.SHOWN or post.author_id == user.pk):
        raise Http404
    return post


def participant_or_404(group: PeerGroup, pk: int) -> Participant:
    return get_or_404(Participant.objects.select_related("user", "group"), group=group, pk=pk)


def own_post_or_404(group: PeerGroup, pk: int, user) -> Post:
    """A post of the reader's own (to delete it)."""
    post = post_or_404(group, pk)
    if post.author_id != user.pk:
        raise Http404
    return post


def others_post_or_404(group: PeerGroup, pk: int, user) -> Post:
    """A post by someone else that this reader can see (to report it)."""
    post = readable_post_or_404(group, pk, user)
    if post.author_id == user.pk:
        raise Http404
    return post
