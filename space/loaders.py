"""Find the space's rows for a view, within the group named by the URL, or answer 404."""

from __future__ import annotations

from django.http import Http404

from groups.loaders import get_or_404
from groups.models import PeerGroup
from peersupport import cache
from space.models import Participant, Post, Thread
from space.selectors import shown_name, thread_drawn_scopes


def thread_or_404(group: PeerGroup, pk: int) -> Thread:
    return get_or_404(Thread.objects.select_related("group"), group=group, pk=pk)


def thread_page_or_404(group: PeerGroup, pk: int) -> tuple[Thread, list[tuple], str]:
    """The thread `pk` of `group` with all its posts in order, as plain tuples of
    `PostRow`'s fields (waiting ones too: `selectors.thread_rows_for` picks a reader's
    share), and the version of those rows ("" when nothing may be kept on it). Kept under
    `thread_drawn_scopes`: the same for every reader of the thread."""

    def load() -> dict:
        thread = get_or_404(Thread.objects.all(), group=group, pk=pk)  # a 404 is never kept
        posts = (
            Post.objects.filter(thread=thread)
            .select_related("author")
            .only("id", "author", "pseudonym", "status", "created_at", "author__display_name")
            .order_by("created_at", "pk")
        )
        # In `PostRow`'s order.
        rows = [
            (
                p.pk,
                p.author_id,
                p.status,
                p.created_at,
                None if p.author_id is None else shown_name(p),
            )
            for p in posts
        ]
        return {"thread": thread, "posts": rows}

    scopes = thread_drawn_scopes(pk, group.pk)
    found, version = cache.fetch_versioned(thread_page_key(group.pk, pk), scopes, load)
    thread = found["thread"]
    thread.group = group  # its links name the group: no query
    return thread, found["posts"], version


def thread_page_key(group_id: int, pk: int) -> str:
    return f"space-thread-posts:{group_id}:{pk}"  # "-rows:" kept names in one language


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
