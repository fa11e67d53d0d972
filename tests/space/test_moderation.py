"""Reports, review, suspension and pseudonyms: what members and facilitators notice, and
what an attacker who is a member of the group cannot learn."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from groups.models import AuditEntry
from members.models import Delivery
from peersupport import cache
from space.models import Post
from tests.factories import MembershipFactory, UserFactory, sign_agreement
from tests.space.support import page, reply, report

pytestmark = pytest.mark.django_db


def _member(world, name: str):
    person = UserFactory(display_name=name)
    MembershipFactory(group=world.group, user=person)
    sign_agreement(person, world.agreement)
    return person


def _moderation(world) -> str:
    return reverse("space:moderation", args=[world.group.slug])


def test_two_member_reports_hide_a_post_until_review(world, client_for):
    post = world.space_post
    report(client_for(_member(world, "Reporter One")), post, "disrespect", "Felt dismissive")
    thread_url = world.space_thread.get_absolute_url()
    assert "I could not sleep again" in page(client_for(world.users["facilitator"]), thread_url)

    report(client_for(_member(world, "Reporter Two")), post, "other")

    reader = client_for(_member(world, "Reader Three"))
    assert "I could not sleep again" not in page(reader, thread_url)
    queue = page(client_for(world.users["facilitator"]), _moderation(world))
    assert "I could not sleep again" in queue and "Felt dismissive" in queue
    assert "Reporter One" not in queue and "Reporter Two" not in queue
    assert AuditEntry.objects.filter(action="space_post_hidden").count() == 1
    waiting = Delivery.objects.filter(kind="space_waiting", about_id=post.pk)
    assert [d.recipient for d in waiting] == [world.users["facilitator"]]
    assert "Moderation (1 waiting)" in queue


def test_one_facilitator_report_hides_a_post(world, client_for):
    report(client_for(world.users["facilitator"]), world.space_post, "confidentiality")
    assert Post.objects.get(pk=world.space_post.pk).status == Post.Status.HIDDEN


def test_the_author_never_learns_who_reported(world, client_for):
    reporter = _member(world, "Quiet Reporter")
    report(client_for(reporter), world.space_post, "disrespect", "Quiet Reporter thinks so")
    report(client_for(_member(world, "Second Reporter")), world.space_post, "other")
    client_for(world.users["facilitator"]).post(
        reverse("space:post_review", args=[world.group.slug, world.space_post.pk]),
        {"decision": "remove", "reason": "Please keep names of others out"},
    )
    author = client_for(world.users["member"])
    seen = page(author, world.space_thread.get_absolute_url())
    delivery = Delivery.objects.get(kind="space_moderation", recipient=world.users["member"])
    for text in (seen, str(delivery.context)):
        assert "Quiet Reporter" not in text and "Second Reporter" not in text
    assert delivery.context["reason"] == "Please keep names of others out"


def test_the_facilitator_restores_a_hidden_post_and_the_author_is_told(world, client_for):
    report(client_for(world.users["facilitator"]), world.space_post, "other")
    client_for(world.users["facilitator"]).post(
        reverse("space:post_review", args=[world.group.slug, world.space_post.pk]),
        {"decision": "restore", "reason": "Checked: it is fine"},
    )
    assert "I could not sleep again" in page(
        client_for(world.users["member"]), world.space_thread.get_absolute_url()
    )
    delivery = Delivery.objects.get(kind="space_moderation", recipient=world.users["member"])
    assert delivery.context["removed"] is False
    assert AuditEntry.objects.filter(action="space_post_restore").exists()


def test_the_facilitator_removes_a_post_and_it_reads_removed(world, client_for):
    client_for(world.users["facilitator"]).post(
        reverse("space:post_review", args=[world.group.slug, world.space_post.pk]),
        {"decision": "remove", "reason": "Off topic"},
    )
    text = page(client_for(world.users["member"]), world.space_thread.get_absolute_url())
    assert "Removed by a facilitator." in text and "I could not sleep again" not in text
    assert AuditEntry.objects.filter(action="space_post_remove").exists()


def test_reporting_twice_or_ones_own_post_is_refused(world, client_for):
    reporter = _member(world, "Reporter")
    report(client_for(reporter), world.space_post)
    again = client_for(reporter).post(
        reverse("space:post_report", args=[world.group.slug, world.space_post.pk]),
        {"reason": "other"},
    )
    assert "already reported" in again.content.decode()
    own = reverse("space:post_report", args=[world.group.slug, world.space_post.pk])
    assert client_for(world.users["member"]).get(own).status_code == 404


def test_a_suspended_member_reads_but_cannot_post_and_is_told_why(world, client_for):
    client_for(world.users["facilitator"]).post(
        reverse("space:suspend", args=[world.group.slug, world.space_post.pk]),
        {"days": "3", "reason": "Please take a pause after Tuesday's argument"},
    )
    member = client_for(world.users["member"])
    response = reply(member, world.space_thread, "Still here", follow=True)
    assert "suspended from posting" in response.content.decode()
    assert not Post.objects.filter(body="Still here").exists()
    delivery = Delivery.objects.get(kind="space_suspension", recipient=world.users["member"])
    assert delivery.context["reason"] == "Please take a pause after Tuesday's argument"
    assert AuditEntry.objects.filter(action="space_suspend", subject=world.users["member"]).exists()


# --- pseudonyms ---------------------------------------------------------------------------
def _pseudonymous_post(world, client_for, author, pseudonym: str) -> Post:
    client_for(world.users["facilitator"]).post(
        reverse("space:group_settings", args=[world.group.slug]), {"pseudonyms_allowed": "on"}
    )
    client = client_for(author)
    client.post(
        reverse("space:participant", args=[world.group.slug]),
        {"pseudonym": pseudonym, "use_pseudonym": "on"},
    )
    reply(client, world.space_thread, "Under my other name")
    return Post.objects.get(body="Under my other name")


def _post_block(html: str, post: Post) -> str:
    match = re.search(rf'<li class="card mb-3" id="post-{post.pk}">.*?</div></li>', html, re.S)
    assert match, "post not on the page"
    return match[0]


def test_members_cannot_map_a_pseudonym_to_a_display_name(world, client_for):
    author = _member(world, "Rowan Realname")
    post = _pseudonymous_post(world, client_for, author, "Blue Heron")
    reader = client_for(_member(world, "Curious Reader"))
    url = world.space_thread.get_absolute_url()

    before = _post_block(page(reader, url), post)
    # Two allowed views compared: the same post, written by someone else. Nothing in the
    # reader's HTML changes, so nothing in it (ids, links, names) points at the author.
    Post.objects.filter(pk=post.pk).update(author=world.users["member"])
    cache.renew(f"thread:{post.thread_id}")  # the update sent no signal: draw it again
    after = _post_block(page(reader, url), post)

    assert before == after
    assert "Blue Heron" in before
    whole = page(reader, url) + page(reader, reverse("space:board", args=[world.group.slug]))
    assert "Rowan Realname" not in whole


def test_facilitators_look_up_a_pseudonym_and_every_look_up_is_audited(world, client_for):
    author = _member(world, "Rowan Realname")
    post = _pseudonymous_post(world, client_for, author, "Blue Heron")
    facilitator = client_for(world.users["facilitator"])
    assert "Rowan Realname" not in page(facilitator, world.space_thread.get_absolute_url())

    response = facilitator.post(reverse("space:author_lookup", args=[world.group.slug, post.pk]))

    assert "Rowan Realname" in response.content.decode()
    entry = AuditEntry.objects.get(action="space_pseudonym_lookup")
    assert entry.actor == world.users["facilitator"] and entry.subject == author
    member = client_for(world.users["member"])
    lookup = reverse("space:author_lookup", args=[world.group.slug, post.pk])
    assert member.post(lookup).status_code == 404


def test_a_pseudonym_cannot_be_someone_elses_name_or_taken_twice(world, client_for):
    client_for(world.users["facilitator"]).post(
        reverse("space:group_settings", args=[world.group.slug]), {"pseudonyms_allowed": "on"}
    )
    url = reverse("space:participant", args=[world.group.slug])
    taken = client_for(world.users["member"]).post(url, {"pseudonym": "Facilitator"})
    assert "not a member&#x27;s name" in taken.content.decode()
    client_for(world.users["member"]).post(url, {"pseudonym": "Blue Heron"})
    other = client_for(_member(world, "Second")).post(url, {"pseudonym": "Blue Heron"})
    assert "already uses that pseudonym" in other.content.decode()


def test_a_facilitator_removes_a_post_from_the_thread_and_comes_back_to_it(world, client_for):
    client = client_for(world.users["facilitator"])
    url = world.space_thread.get_absolute_url()
    assert f"remove-reason-{world.space_post.pk}" in page(client, url)

    response = client.post(
        reverse("space:post_review", args=[world.group.slug, world.space_post.pk]),
        {"decision": "remove", "reason": "Please no names", "back": "thread"},
    )

    assert response["Location"] == url
    assert Post.objects.get(pk=world.space_post.pk).status == Post.Status.REMOVED
    member_view = page(client_for(world.users["member"]), url)
    assert f"remove-reason-{world.space_post.pk}" not in member_view
