"""A thread's posts are kept drawn for everyone who reads it (`space.views.board.drawn_posts`):
an edit, a hide or a removal shows at once, and nothing drawn for one reader (their own
buttons, a facilitator's tools, their waiting post, their language or zone) reaches
another."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from peersupport import cache
from space.models import Post
from tests.factories import MembershipFactory, UserFactory, sign_agreement
from tests.space.support import page, reply, report

pytestmark = pytest.mark.django_db


def _reader(world, name: str, **fields):
    person = UserFactory(display_name=name, **fields)
    MembershipFactory(group=world.group, user=person)
    sign_agreement(person, world.agreement)
    return person


def _block(html: str, post: Post) -> str:
    match = re.search(rf'<li class="card mb-3" id="post-{post.pk}">.*?</div></li>', html, re.S)
    assert match, "post not on the page"
    return match[0]


def test_thread_posts_are_drawn_once_for_every_reader(world, client_for):
    url, post = world.space_thread.get_absolute_url(), world.space_post
    first, second = _reader(world, "First Reader"), _reader(world, "Second Reader")
    page(client_for(first), url)
    # A write that sends no signal renews nothing: the next reader gets what was drawn.
    Post.objects.filter(pk=post.pk).update(body="Changed behind the cache's back")

    assert "I could not sleep" in page(client_for(second), url)
    cache.renew(f"thread:{world.space_thread.pk}")
    assert "Changed behind" in page(client_for(second), url)


def test_thread_edit_shows_at_once_to_other_readers(world, client_for):
    url, post = world.space_thread.get_absolute_url(), world.space_post
    reader = _reader(world, "Curious Reader")
    assert "edited" not in _block(page(client_for(reader), url), post)

    edit = reverse("space:post_edit", args=[world.group.slug, post.pk])
    client_for(world.users["member"]).post(edit, {"body": "Slept a little better."})

    block = _block(page(client_for(reader), url), post)
    assert "Slept a little better." in block and "I could not sleep" not in block
    assert "edited" in block


def test_thread_hide_and_removal_show_at_once_to_other_readers(world, client_for):
    url, post, reply_row = world.space_thread.get_absolute_url(), world.space_post, None
    reader = _reader(world, "Curious Reader")
    reply(client_for(reader), world.space_thread, "Same for me")
    reply_row = Post.objects.get(body="Same for me")
    other = _reader(world, "Other Reader")
    before = page(client_for(other), url)
    assert "I could not sleep" in before and "Same for me" in before

    facilitator = client_for(world.users["facilitator"])
    # A facilitator's report hides the post for review at once.
    facilitator.post(
        reverse("space:post_report", args=[world.group.slug, post.pk]), {"reason": "other"}
    )
    facilitator.post(
        reverse("space:post_review", args=[world.group.slug, reply_row.pk]),
        {"decision": "remove", "reason": "Off topic", "back": "thread"},
    )

    after = page(client_for(other), url)
    assert "I could not sleep" not in after and "Same for me" not in after
    assert "Removed by a facilitator." in _block(after, reply_row)
    # Its author still sees the hidden post, as theirs alone.
    own = _block(page(client_for(world.users["member"]), url), post)
    assert "Only you see this" in own and "I could not sleep" in own


def test_thread_member_never_gets_a_facilitators_or_another_members_buttons(world, client_for):
    url, post = world.space_thread.get_absolute_url(), world.space_post
    facilitator_page = page(client_for(world.users["facilitator"]), url)
    assert "Suspend the author" in facilitator_page and "remove-reason-" in facilitator_page
    author_page = _block(page(client_for(world.users["member"]), url), post)
    assert "Edit" in author_page and "Delete" in author_page

    reader_page = page(client_for(_reader(world, "Curious Reader")), url)

    assert "Suspend the author" not in reader_page and "remove-reason-" not in reader_page
    block = _block(reader_page, post)
    assert "Edit" not in block and "Delete" not in block and "Report" in block
    # The author's buttons were drawn for them, not kept: still theirs.
    assert "Delete" in _block(page(client_for(world.users["member"]), url), post)


def test_thread_edit_button_goes_after_15_minutes_though_the_post_is_kept_drawn(
    world, client_for, monkeypatch
):
    url, post = world.space_thread.get_absolute_url(), world.space_post
    author = client_for(world.users["member"])
    assert ">Edit<" in _block(page(author, url), post)

    # Time passing renews nothing (the thread's rows and cards stay kept): the button is
    # decided on every request.
    later = timezone.now() + datetime.timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)

    block = _block(page(author, url), post)
    assert ">Edit<" not in block and ">Delete<" in block


def test_thread_a_waiting_post_is_drawn_for_its_author_alone(world, client_for):
    url = world.space_thread.get_absolute_url()
    newcomer, reader = _reader(world, "New Person"), _reader(world, "Curious Reader")
    page(client_for(reader), url)
    reply(client_for(newcomer), world.space_thread, "My first words here")
    Post.objects.filter(body="My first words here").update(status=Post.Status.HELD)

    assert "My first words here" in page(client_for(newcomer), url)
    assert "My first words here" not in page(client_for(reader), url)


def test_thread_spanish_reader_never_gets_french_posts_chrome(world, client_for):
    url, post = world.space_thread.get_absolute_url(), world.space_post
    noon = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)
    Post.objects.filter(pk=post.pk).update(created_at=noon, edited_at=noon)
    cache.renew(f"thread:{world.space_thread.pk}")
    french = _reader(world, "Lecteur", preferred_language="fr", time_zone="Europe/Paris")
    spanish = _reader(world, "Lectora", preferred_language="es", time_zone="America/Mexico_City")

    in_french = _block(page(client_for(french), url), post)
    in_spanish = _block(page(client_for(spanish), url), post)

    assert "Signaler" in in_french and "modifié" in in_french and "13:00" in in_french
    assert "Reportar" in in_spanish and "editado" in in_spanish and "06:00" in in_spanish
    assert "Signaler" not in in_spanish and "modifié" not in in_spanish
    assert "13:00" not in in_spanish


def test_thread_my_report_shows_at_once_to_me_alone(world, client_for):
    url, post = world.space_thread.get_absolute_url(), world.space_post
    reporter, other = _reader(world, "Reporter"), _reader(world, "Other Reader")
    assert "You reported this post." not in page(client_for(reporter), url)  # now kept

    report(client_for(reporter), post)

    assert "You reported this post." in _block(page(client_for(reporter), url), post)
    block = _block(page(client_for(other), url), post)
    assert "You reported this post." not in block and "Report" in block


def test_thread_a_suspension_shows_at_once_on_the_thread(world, client_for):
    url = world.space_thread.get_absolute_url()
    writer = _reader(world, "Writer")
    reply(client_for(writer), world.space_thread, "Hello all")
    assert "Post reply" in page(client_for(writer), url)  # their space row, now kept
    written = Post.objects.get(body="Hello all")

    client_for(world.users["facilitator"]).post(
        reverse("space:suspend", args=[world.group.slug, written.pk]),
        {"days": "3", "reason": "A pause"},
    )

    html = page(client_for(writer), url)
    assert "suspended from posting" in html and "Post reply" not in html
    assert "Post reply" in page(client_for(_reader(world, "Other Reader")), url)


def test_thread_a_lock_shows_at_once(world, client_for):
    thread, reader = world.space_thread, _reader(world, "Curious Reader")
    url = thread.get_absolute_url()
    assert "Post reply" in page(client_for(reader), url)  # the thread's rows, now kept

    client_for(world.users["facilitator"]).post(
        reverse("space:thread_moderate", args=[world.group.slug, thread.pk]),
        {"locked": "on", "slow_mode_minutes": "0"},
    )

    html = page(client_for(reader), url)
    assert "This thread is locked" in html and "Post reply" not in html


def test_thread_a_renamed_group_shows_at_once(world, client_for):
    url, reader = world.space_thread.get_absolute_url(), _reader(world, "Curious Reader")
    assert world.group.name in page(client_for(reader), url)  # the group, now kept

    world.group.name = "Renamed Harbour Circle"
    world.group.save()

    assert "Renamed Harbour Circle" in page(client_for(reader), url)


def test_thread_pages_shifted_by_my_waiting_post_stay_mine(world, client_for):
    url = world.space_thread.get_absolute_url()
    newcomer, reader = _reader(world, "New Person"), _reader(world, "Curious Reader")
    reply(client_for(newcomer), world.space_thread, "Waiting words")
    Post.objects.filter(body="Waiting words").update(status=Post.Status.HELD)
    reply(client_for(reader), world.space_thread, "Shown words")

    for _round in range(2):  # drawn, then kept: each reader's page stays their own
        mine = page(client_for(newcomer), url)
        theirs = page(client_for(reader), url)
        assert "Waiting words" in mine and "Shown words" in mine
        assert "Waiting words" not in theirs and "Shown words" in theirs


def test_thread_own_and_others_cards_show_the_same_text_in_thread_order(world, client_for):
    url = world.space_thread.get_absolute_url()
    author, other = _reader(world, "Line Writer"), _reader(world, "Other Writer")
    body = "Line one\nSee https://example.org/help <b>bold</b>"
    reply(client_for(other), world.space_thread, "Before yours")
    reply(client_for(author), world.space_thread, body)
    reply(client_for(other), world.space_thread, "After yours")
    mine = Post.objects.get(author=author)
    page(client_for(_reader(world, "First Reader")), url)  # the page is kept drawn

    own_page = page(client_for(author), url)
    facilitator_page = page(client_for(world.users["facilitator"]), url)
    reader_page = page(client_for(_reader(world, "Curious Reader")), url)

    for html in (own_page, facilitator_page, reader_page):
        block = _block(html, mine)
        assert "Line one<br>See" in block and 'href="https://example.org/help"' in block
        assert "&lt;b&gt;bold&lt;/b&gt;" in block
        # Swapped in at its place: after the reply before it, before the one after it.
        assert html.index("Before yours") < html.index("Line one") < html.index("After yours")
    assert ">Delete<" in _block(own_page, mine) and ">Delete<" not in _block(reader_page, mine)
    assert "remove-reason-" in _block(facilitator_page, mine)
    # Every other card is the reader's plain one: nobody else's buttons.
    assert own_page.count(">Delete<") == 1 and reader_page.count(">Delete<") == 0


def test_thread_pages_links_above_and_below_keep_the_query(world, client_for):
    thread, reader = world.space_thread, _reader(world, "Busy Reader")
    writer = client_for(reader)
    for n in range(52):
        Post.objects.create(thread=thread, author=world.users["member"], body=f"Reply {n}")
    cache.renew(f"thread:{thread.pk}")

    html = page(writer, f"{thread.get_absolute_url()}?page=2&sort=x")

    assert html.count("Page 2 of 2") == 2
    assert html.count('href="?page=1&amp;sort=x"') == 2


def test_thread_a_gone_authors_name_is_in_each_readers_language(world, client_for):
    """The thread's rows are kept once for every language: a French reader drawing them
    first must not leave "un·e ancien·ne membre" for the English reader after."""
    from members.services.data import member_account_delete

    url = world.space_thread.get_absolute_url()
    writer = _reader(world, "Soon Gone")
    reply(client_for(writer), world.space_thread, "My last words here")
    member_account_delete(user=writer)
    french = _reader(world, "Lecteur", preferred_language="fr")
    english = _reader(world, "Reader", preferred_language="en")

    assert "un·e ancien·ne membre" in page(client_for(french), url)
    english_page = page(client_for(english), url)
    assert "a former member" in english_page and "ancien" not in english_page
