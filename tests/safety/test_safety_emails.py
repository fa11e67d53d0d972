"""The people who act are told by email that something waits for them, and nothing more."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from groups.models import SupportRequest
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _addressed_to(mailoutbox) -> set[str]:
    return {address for email in mailoutbox for address in email.to}


def test_asking_for_support_emails_each_facilitator_once_without_the_words(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    SupportRequest.objects.filter(group=world.group).delete()
    client = client_for(world.users["member"])
    url = f"/groups/{world.group.slug}/support/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"contact_way": "email", "message": "I can't sleep since the crash"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"contact_way": "phone", "message": "Still rough"})  # same request

    assert _addressed_to(mailoutbox) == {world.users["facilitator"].email}
    [email] = mailoutbox
    assert email.subject == "A member would like someone to reach out"
    body = email.body + email.alternatives[0][0]
    assert f"/groups/{world.group.slug}/followups/" in body
    # Neither what they wrote nor who they are travels by email.
    assert "sleep" not in body and world.users["member"].display_name not in body


def test_a_concern_reaches_facilitators_and_organizers_but_not_reporter_or_subject(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    reporter, about = world.users["member"], world.users["facilitator"]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(reporter).post(
            f"/groups/{world.group.slug}/concerns/new/",
            {"about": about.pk, "description": "Shared a story outside the group"},
        )

    told = _addressed_to(mailoutbox)
    assert world.users["organizer"].email in told
    assert reporter.email not in told and about.email not in told
    assert all(email.subject == "A concern was reported" for email in mailoutbox)
    assert all("outside the group" not in email.body for email in mailoutbox)


def test_escalating_a_debrief_emails_the_safeguarding_lead(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        group=world.group, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.users["facilitator"]).post(
            f"/meetings/{meeting.pk}/debrief/",
            {"how_it_went": "Tense", "concerns": "Talk of self-harm", "escalate": "on"},
        )
    with django_capture_on_commit_callbacks(execute=True):  # saving again: no second email
        client_for(world.users["facilitator"]).post(
            f"/meetings/{meeting.pk}/debrief/",
            {"how_it_went": "Tense, calmer later", "concerns": "Talk of self-harm"},
        )

    [email] = mailoutbox
    assert email.to == [world.safeguarding_lead.email]
    assert email.subject == "A debrief was escalated to you"
    assert "self-harm" not in email.body
    assert f"/meetings/orgs/{world.organisation.slug}/escalations/" in email.body
