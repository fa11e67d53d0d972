"""Crisis-aware moderation: a post with watched words is never silently blocked; its
author sees crisis resources at once; the facilitators get an urgent follow-up in the
same queue as "I'd like more support"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from groups.models import AuditEntry, SupportRequest
from members.models import Delivery
from space.models import OrganisationSpacePolicy, Post
from tests.space.support import page, reply, start_thread

pytestmark = pytest.mark.django_db


def test_a_watched_phrase_is_published_shows_care_and_raises_an_urgent_followup(world, client_for):
    member = client_for(world.users["member"])
    response = reply(member, world.space_thread, "Honestly I  WANT to díe some nights", follow=True)

    text = response.content.decode()
    assert "It sounds like things are hard right now" in text
    assert "Samaritans" in text and "Your post is in the thread." in text
    assert Post.objects.get(body__startswith="Honestly").is_published  # never blocked
    request = SupportRequest.objects.get(member=world.users["member"], status="open")
    assert request.urgent and request.link.endswith(f"#post-{Post.objects.latest('pk').pk}")
    followups = page(
        client_for(world.users["facilitator"]),
        reverse("groups:followups", args=[world.group.slug]),
    )
    assert "Urgent" in followups and "Read the post" in followups
    assert Delivery.objects.filter(kind="support_request", recipient=world.users["facilitator"])


def test_the_urgent_followup_joins_the_members_open_request_not_a_second_queue(world, client_for):
    reply(client_for(world.users["member"]), world.space_thread, "I feel suicidal")
    open_requests = SupportRequest.objects.filter(member=world.users["member"], status="open")
    assert open_requests.count() == 1  # the world's request, now urgent
    assert open_requests.get().message == "Please call me after Thursday"
    assert open_requests.get().urgent


def test_an_organisation_may_hold_matching_posts_the_author_still_sees_care(world, client_for):
    OrganisationSpacePolicy.objects.create(
        organisation=world.organisation, watched_phrases="kill myself", on_match="hold"
    )
    member = client_for(world.users["member"])
    response = start_thread(member, world.group, "Tonight", "I might kill-myself", follow=True)

    assert "It sounds like things are hard right now" in response.content.decode()
    assert "once a facilitator has read it" in response.content.decode()
    post = Post.objects.get(body="I might kill-myself")
    assert post.status == Post.Status.HELD
    thread_url = post.thread.get_absolute_url()
    assert "waiting for a facilitator" in page(member, thread_url)
    queue = page(
        client_for(world.users["facilitator"]),
        reverse("space:moderation", args=[world.group.slug]),
    )
    assert "I might kill-myself" in queue and "Watched words" in queue


def test_words_that_only_look_alike_do_not_match(world, client_for):
    reply(client_for(world.users["member"]), world.space_thread, "My skill myself grows; dieting")
    assert not SupportRequest.objects.filter(member=world.users["member"], urgent=True).exists()


def test_the_organizer_edits_the_list_and_it_is_audited(world, client_for):
    url = reverse("space:watched_words", args=[world.organisation.slug])
    organizer = client_for(world.users["organizer"])
    assert url in page(organizer, world.organisation.get_absolute_url())
    assert "kill myself" in page(organizer, url)  # the default list to start from

    organizer.post(url, {"watched_phrases": "hopeless\nno way out", "on_match": "publish"})

    reply(client_for(world.users["member"]), world.space_thread, "There's NO way… out")
    assert SupportRequest.objects.get(member=world.users["member"], status="open").urgent
    assert AuditEntry.objects.filter(action="space_watched_words").exists()


def test_a_pseudonymous_authors_followup_is_audited(world, client_for):
    client_for(world.users["facilitator"]).post(
        reverse("space:group_settings", args=[world.group.slug]), {"pseudonyms_allowed": "on"}
    )
    member = client_for(world.users["member"])
    member.post(
        reverse("space:participant", args=[world.group.slug]),
        {"pseudonym": "Grey Owl", "use_pseudonym": "on"},
    )
    reply(member, world.space_thread, "I want to die")
    assert AuditEntry.objects.filter(
        action="space_pseudonym_crisis", subject=world.users["member"]
    ).exists()
