"""The group space for its readers: who may read, writing, editing, deleting, names."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from space.models import Participant, Post, Thread
from tests.factories import MembershipFactory, UserFactory, sign_agreement
from tests.space.support import board, page, reply, start_thread

pytestmark = pytest.mark.django_db


def test_a_member_starts_a_thread_and_another_replies(world, client_for):
    start_thread(client_for(world.users["member"]), world.group, "Awake at 3 am", "Anyone else?")
    thread = Thread.objects.get(title="Awake at 3 am")

    response = reply(client_for(world.users["facilitator"]), thread, "Me too, most nights.")

    assert response.status_code == 302
    text = page(client_for(world.users["member"]), thread.get_absolute_url())
    assert "Anyone else?" in text and "Me too, most nights." in text
    assert "Facilitator" in text  # shown by display name
    assert "Awake at 3 am" in page(client_for(world.users["member"]), board(world.group))


def test_posts_are_plain_text_with_links_and_line_breaks(world, client_for):
    body = "Line one\nSee https://example.org/help <script>alert(1)</script> <b>bold</b>"
    start_thread(client_for(world.users["member"]), world.group, "Resources", body)
    thread = Thread.objects.get(title="Resources")

    text = page(client_for(world.users["facilitator"]), thread.get_absolute_url())

    assert "Line one<br>See" in text
    assert 'href="https://example.org/help"' in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
    assert "<b>bold</b>" not in text


def test_an_active_member_who_has_not_signed_gets_404(world, client_for):
    unsigned = UserFactory()
    MembershipFactory(group=world.group, user=unsigned)

    assert client_for(unsigned).get(board(world.group)).status_code == 404
    assert client_for(unsigned).get(world.space_thread.get_absolute_url()).status_code == 404


def test_a_member_on_a_break_reads_only_after_choosing_to_and_cannot_post(world, client_for):
    client = client_for(world.users["on_break"])
    assert client.get(board(world.group)).status_code == 404

    client.post(reverse("space:participant", args=[world.group.slug]), {"reads_on_break": "on"})

    assert "How was the week for everyone" in page(client, board(world.group))
    response = reply(client, world.space_thread, "Hello from my break", follow=True)
    assert "come back to the group to post" in response.content.decode()
    assert not Post.objects.filter(body="Hello from my break").exists()


def test_a_member_who_left_no_longer_reads(world, client_for):
    membership = Membership.objects.get(user=world.users["member"], group=world.group)
    membership.status = Membership.Status.LEFT
    membership.save()  # renews the cached roles, as the leave service does
    assert client_for(world.users["member"]).get(board(world.group)).status_code == 404


def test_the_space_is_linked_from_home_and_the_member_area(world, client_for):
    client = client_for(world.users["member"])
    url = board(world.group)
    assert url in page(client, "/")
    assert url in page(client, reverse("groups:inside", args=[world.group.slug]))
    assert url not in page(client_for(world.users["organizer"]), "/")


def test_editing_within_15_minutes_shows_edited_and_later_is_refused(world, client_for):
    client = client_for(world.users["member"])
    post = world.space_post
    edit = reverse("space:post_edit", args=[world.group.slug, post.pk])

    client.post(edit, {"body": "I slept a little better, actually."})

    text = page(client_for(world.users["facilitator"]), world.space_thread.get_absolute_url())
    assert "I slept a little better, actually." in text and "edited" in text
    Post.objects.filter(pk=post.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    client = client_for(world.users["member"])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"body": "Too late"}).status_code == 404


def test_deleting_leaves_removed_by_the_author(world, client_for):
    client = client_for(world.users["member"])
    client.post(reverse("space:post_delete", args=[world.group.slug, world.space_post.pk]))

    text = page(client_for(world.users["facilitator"]), world.space_thread.get_absolute_url())
    assert "Removed by the author." in text
    assert "I could not sleep again this week." not in text
    assert Post.objects.get(pk=world.space_post.pk).body == ""


def test_someone_else_cannot_delete_or_edit_a_post(world, client_for):
    client = client_for(world.users["facilitator"])
    pk = world.space_post.pk
    assert client.post(reverse("space:post_delete", args=[world.group.slug, pk])).status_code == 404
    assert client.get(reverse("space:post_edit", args=[world.group.slug, pk])).status_code == 404


def test_a_thread_of_another_group_is_404_under_this_groups_address(world, client_for):
    other = Thread.objects.get(group=world.other_group)
    url = reverse("space:thread", args=[world.group.slug, other.pk])
    assert client_for(world.users["member"]).get(url).status_code == 404


def test_threads_and_posts_are_paginated(world, client_for):
    thread = world.space_thread
    Post.objects.bulk_create(
        [Post(thread=thread, author=world.users["member"], body=f"Reply {i}") for i in range(60)]
    )
    client = client_for(world.users["member"])
    first = page(client, thread.get_absolute_url())
    assert "Page 1 of 2" in first and "Reply 59" not in first
    assert "Reply 59" in page(client, thread.get_absolute_url() + "?page=2")
    assert "Reply 59" in page(client, thread.get_absolute_url() + "?page=last")


def test_pinned_threads_come_first(world, client_for):
    start_thread(client_for(world.users["member"]), world.group, "Newest thread", "Hi")
    client = client_for(world.users["facilitator"])
    client.post(
        reverse("space:thread_moderate", args=[world.group.slug, world.space_thread.pk]),
        {"pinned": "on", "slow_mode_minutes": "0"},
    )
    text = page(client, board(world.group))
    assert text.index("How was the week for everyone") < text.index("Newest thread")
    assert "Pinned" in text


def test_a_locked_thread_takes_no_reply_and_slow_mode_spaces_replies(world, client_for):
    # One test client: `client_for` signs it in as each person in turn.
    settings_url = reverse("space:thread_moderate", args=[world.group.slug, world.space_thread.pk])
    client_for(world.users["facilitator"]).post(settings_url, {"slow_mode_minutes": "15"})
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Post.objects.filter(pk=world.space_post.pk).update(created_at=an_hour_ago)
    member = client_for(world.users["member"])

    reply(member, world.space_thread, "First quick reply")
    second = reply(member, world.space_thread, "Second quick reply", follow=True)

    assert "slow mode" in second.content.decode()
    client_for(world.users["facilitator"]).post(
        settings_url, {"locked": "on", "slow_mode_minutes": "0"}
    )
    locked = reply(client_for(world.users["member"]), world.space_thread, "After", follow=True)
    assert "This thread is locked" in locked.content.decode()
    bodies = set(Post.objects.values_list("body", flat=True))
    assert "First quick reply" in bodies
    assert not {"Second quick reply", "After"} & bodies


def test_the_space_pages_are_never_stored_by_the_browser(world, client_for):
    response = client_for(world.users["member"]).get(world.space_thread.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
    assert 'name="robots" content="noindex, nofollow"' in response.content.decode()


def test_nothing_of_the_space_is_on_public_pages(world, client):
    for url in ("/", reverse("groups:directory"), world.group.get_absolute_url()):
        text = client.get(url).content.decode()
        assert "How was the week for everyone" not in text
        assert not re.search(r"/space/", text)


def test_first_posts_wait_for_approval_when_the_group_asks(world, client_for):
    client_for(world.users["facilitator"]).post(
        reverse("space:group_settings", args=[world.group.slug]), {"approve_first_posts": "on"}
    )
    newcomer = UserFactory(display_name="Newcomer Nia")
    MembershipFactory(group=world.group, user=newcomer)
    sign_agreement(newcomer, world.agreement)
    response = reply(client_for(newcomer), world.space_thread, "Hello everyone", follow=True)
    assert "once a facilitator has read it" in response.content.decode()
    assert "Hello everyone" not in page(
        client_for(world.users["member"]), world.space_thread.get_absolute_url()
    )
    post = Post.objects.get(body="Hello everyone")

    client_for(world.users["facilitator"]).post(
        reverse("space:post_review", args=[world.group.slug, post.pk]), {"decision": "approve"}
    )

    member_view = page(client_for(world.users["member"]), world.space_thread.get_absolute_url())
    assert "Hello everyone" in member_view
    reply(client_for(newcomer), world.space_thread, "Second post, straight through")
    assert Post.objects.get(body="Second post, straight through").is_published
    assert Participant.objects.get(user=newcomer).approved


def test_a_reader_who_cannot_post_is_told_why_instead_of_a_form(world, client_for):
    client = client_for(world.users["on_break"])
    client.post(reverse("space:participant", args=[world.group.slug]), {"reads_on_break": "on"})
    text = page(client, reverse("space:thread_new", args=[world.group.slug]))
    assert "come back to the group to post" in text and 'name="title"' not in text


def test_facilitators_always_post_under_their_own_name(world, client_for):
    client = client_for(world.users["facilitator"])
    client.post(
        reverse("space:group_settings", args=[world.group.slug]), {"pseudonyms_allowed": "on"}
    )
    client.post(
        reverse("space:participant", args=[world.group.slug]),
        {"pseudonym": "Quiet Lighthouse", "use_pseudonym": "on"},
    )
    reply(client, world.space_thread, "From the facilitator")
    assert Post.objects.get(body="From the facilitator").pseudonym == ""
