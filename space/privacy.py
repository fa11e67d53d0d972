"""What deleting an account means for the group space (registered with `members.hooks`).

The export needs nothing here: it walks every row that points at the person (their
posts, threads, reports and settings). On deletion, posts and threads stay in their
group's conversation and read "a former member" (their author link is SET_NULL); the
pseudonym they were written under goes first, so nothing of the person remains.
"""

from __future__ import annotations

from members.hooks import account_delete_register
from peersupport import cache
from space.models import Post, Thread


def pseudonyms_forget(user) -> None:
    # A bulk update sends no signal: the threads' drawn posts show the pseudonym.
    threads = Post.objects.filter(author=user).values_list("thread_id", flat=True).distinct()
    cache.renew(*(f"thread:{pk}" for pk in threads))
    Post.objects.filter(author=user).update(pseudonym="")
    Thread.objects.filter(author=user).update(pseudonym="")


def hooks_register() -> None:
    account_delete_register(steps=[pseudonyms_forget])
