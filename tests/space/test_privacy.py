"""Posts in the member's data export and after erasure; retention per organisation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.services.data import member_account_delete, member_data_sections
from space.models import OrganisationSpacePolicy, Post, Thread
from space.services.retention import posts_purge
from tests.space.support import page, reply

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_members_posts_and_threads(world):
    sections = {
        title: list(rows) for title, rows in member_data_sections(user=world.users["member"])
    }
    bodies = [row.get("body") for rows in sections.values() for row in rows]
    titles = [row.get("title") for rows in sections.values() for row in rows]
    assert "I could not sleep again this week." in bodies
    assert "How was the week for everyone" in titles
    assert "Thank you for telling us. Same here." not in bodies  # the facilitator's


def test_the_readable_export_names_the_space_and_no_one_else(world):
    from members.services.data import member_data_readable_sections

    sections = {
        title: list(rows)
        for title, rows in member_data_readable_sections(user=world.users["facilitator"])
    }
    posts = sections["Group-space posts (author)"]
    assert [row["Message"] for row in posts] == ["Thank you for telling us. Same here."]
    text = str(sections)
    other = world.users["member"]  # wrote in the same thread
    assert other.full_name not in text and other.email not in text


def test_an_erased_authors_posts_read_a_former_member(world, client_for):
    client_for(world.users["facilitator"]).post(
        reverse("space:group_settings", args=[world.group.slug]), {"pseudonyms_allowed": "on"}
    )
    member = client_for(world.users["member"])
    member.post(
        reverse("space:participant", args=[world.group.slug]),
        {"pseudonym": "Grey Owl", "use_pseudonym": "on"},
    )
    reply(member, world.space_thread, "Written as an owl")

    member_account_delete(user=world.users["member"])

    text = page(client_for(world.users["facilitator"]), world.space_thread.get_absolute_url())
    assert "a former member" in text
    assert "Grey Owl" not in text
    assert not Post.objects.exclude(pseudonym="").exists()
    assert Post.objects.filter(author__isnull=True).count() == 2


def test_posts_past_the_organisations_retention_are_purged(world):
    OrganisationSpacePolicy.objects.create(organisation=world.organisation, post_retention_days=30)
    Thread.objects.filter(pk=world.space_thread.pk).update(
        last_post_at=timezone.now() - datetime.timedelta(days=31)
    )
    posts_purge()
    assert not Thread.objects.filter(pk=world.space_thread.pk).exists()
    assert Thread.objects.filter(group=world.other_group).exists()  # recent: kept
    assert posts_purge() == 0
