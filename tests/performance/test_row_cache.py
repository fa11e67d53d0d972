"""Signed-in pages read the permission layer's rows and the meeting page's rows from the
cache (peersupport/cache.py), and every change shows on the very next request."""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from groups.services.membership import membership_leave
from sessions.models import MeetingRole
from sessions.services.agenda import agenda_item_add
from sessions.services.roles import role_assign
from sessions.services.rsvp import rsvp_set
from tests.factories import MeetingFactory, MembershipFactory, publish_agreement, sign_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("row_cache_on")]

PLACE = "Room 4, Harbour Community Centre"


@pytest.fixture
def row_cache_on(settings):
    settings.ROW_CACHE_SECONDS = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as a request would: its on-commit renewals happen too."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def _page(client, url: str, **params) -> tuple[int, str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response.status_code, response.content.decode(), len(queries)


def test_second_visit_reads_memberships_and_meeting_from_the_cache(world, client_for, member):
    client = client_for(member)
    url = world.meeting.get_absolute_url()
    status, first, cold = _page(client, url)
    assert status == 200 and PLACE in first
    status, again, warm = _page(client, url)
    assert status == 200 and PLACE in again
    # Left: the session's user row, the person's own RSVP and the seat counts.
    assert warm <= 3 < cold


def test_leaving_a_group_hides_its_place_at_once(world, client_for, member, committed):
    client = client_for(member)
    url = world.meeting.get_absolute_url()
    assert PLACE in _page(client, url)[1]
    membership = Membership.objects.get(user=member, group=world.group)
    committed(lambda: membership_leave(membership=membership))
    assert PLACE not in _page(client, url)[1]


def test_a_new_agreement_version_hides_the_place_until_signed(world, client_for, member, committed):
    client = client_for(member)
    url = world.meeting.get_absolute_url()
    assert PLACE in _page(client, url)[1]
    version = committed(lambda: publish_agreement(world.group, by=world.users["facilitator"]))
    page = _page(client, url)[1]
    assert PLACE not in page and "Read and sign the agreement" in page
    committed(lambda: sign_agreement(member, version))
    assert PLACE in _page(client, url)[1]


def test_a_facilitator_appointed_reaches_the_dashboard_at_once(world, client_for, committed):
    person = world.users["other_member"]
    client = client_for(person)
    url = reverse("meetings:facilitator_dashboard")
    assert client.get(url).status_code == 404
    committed(
        lambda: MembershipFactory(group=world.group, user=person, role="facilitator", mfa=False)
    )
    # Two-step sign-in is now required of them: the next page sends them to set it up.
    assert client.get(url).status_code == 302


def test_agenda_roles_and_edits_show_on_the_meeting_page_at_once(
    world, client_for, member, facilitator, committed
):
    meeting = world.meeting
    client = client_for(member)
    url = meeting.get_absolute_url()
    assert "Breathing exercise" not in _page(client, url)[1]

    committed(
        lambda: agenda_item_add(
            meeting=meeting,
            version=meeting.agenda_version,
            title="Breathing exercise",
            objective="",
            minutes=10,
            flexible=False,
        )
    )
    assert "Breathing exercise" in _page(client, url)[1]

    committed(
        lambda: role_assign(
            meeting=meeting, role=MeetingRole.Role.TIMEKEEPER, user=member, by=facilitator
        )
    )
    assert f"Timekeeper: {member.display_name}" in _page(client, url)[1]

    def rename():
        meeting.topic = "Nights off and family time"
        meeting.save()

    committed(rename)
    assert "Nights off and family time" in _page(client, url)[1]

    def new_name():
        facilitator.display_name = "Sam the facilitator"
        facilitator.save()

    committed(new_name)
    assert "Sam the facilitator" in _page(client, url)[1]


def test_dashboard_follows_new_meetings_and_drops_ended_ones(
    world, client_for, facilitator, committed
):
    client = client_for(facilitator)
    url = reverse("meetings:facilitator_dashboard")
    assert "Almost over" not in _page(client, url)[1]
    now = timezone.now()
    committed(
        lambda: MeetingFactory(
            group=world.group,
            topic="Almost over",
            starts_at=now - datetime.timedelta(minutes=30),
            ends_at=now + datetime.timedelta(seconds=2),
        )
    )
    status, page, _queries = _page(client, url)
    assert status == 200 and "Almost over" in page and "1 going" not in page
    committed(
        lambda: rsvp_set(
            meeting=world.meeting, member=world.users["member"], status="going", mode="in_person"
        )
    )
    assert "1 going" in _page(client, url)[1]
    time.sleep(2.5)
    assert "Almost over" not in _page(client, url)[1]


def test_no_password_hash_is_ever_cached_nor_anyone_else_s_email(
    world, client_for, member, facilitator
):
    client = client_for(member)
    _page(client, world.meeting.get_absolute_url())
    _page(client, reverse("groups:mine"))
    redis = cache._cache.get_client()
    ours = list(redis.scan_iter(cache.make_key("cached:*")))  # this test's entries only
    stored = b"".join(redis.get(key) or b"" for key in ours)
    assert stored, "the pages above should have filled the row cache"
    for person in (member, facilitator):
        assert person.password.encode() not in stored
    # The facilitator is on the member's meeting page by name only.
    assert facilitator.email.encode() not in stored


def test_a_new_password_signs_out_other_sessions_at_once(world, client_for, member, committed):
    client = client_for(member)
    home = reverse("groups:mine")
    assert _page(client, home)[0] == 200

    def new_password():
        member.set_password("a brand new passphrase 2026")
        member.save()

    committed(new_password)
    response = client.get(home)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_deactivated_account_is_signed_out_at_once(world, client_for, member, committed):
    client = client_for(member)
    home = reverse("groups:mine")
    assert _page(client, home)[0] == 200

    def deactivate():
        member.is_active = False
        member.save()

    committed(deactivate)
    assert client.get(home).status_code == 302


def test_editing_the_profile_keeps_the_password(world, client_for, member, committed):
    from members.models import User

    member.set_password("kept passphrase 2026")
    member.save()
    client = client_for(member)
    assert _page(client, reverse("groups:mine"))[0] == 200  # the account is cached now
    response = client.post(
        reverse("members:profile"),
        {
            "display_name": "Renamed Member",
            "full_name": member.full_name,
            "time_zone": member.time_zone,
            "preferred_language": member.preferred_language,
        },
    )
    assert response.status_code == 302
    fresh = User.objects.get(pk=member.pk)
    assert fresh.display_name == "Renamed Member"
    assert fresh.check_password("kept passphrase 2026")
    assert _page(client, reverse("groups:mine"))[0] == 200  # still signed in


def test_rsvps_show_in_the_panel_and_seat_counts_at_once(world, client_for, member, committed):
    import re

    other = world.users["other_member"]
    MembershipFactory(group=world.group, user=other)
    sign_agreement(other, world.objects["agreement"])
    client = client_for(member)
    url = world.meeting.get_absolute_url()

    def going_in_person(page: str) -> int:
        return int(re.search(r"In person: (\d+)", page).group(1))

    before = _page(client, url)[1]
    assert "You&#x27;re going" not in before and "You're going" not in before
    committed(
        lambda: rsvp_set(meeting=world.meeting, member=other, status="going", mode="in_person")
    )
    after = _page(client, url)[1]
    assert going_in_person(after) == going_in_person(before) + 1
    committed(
        lambda: rsvp_set(meeting=world.meeting, member=member, status="going", mode="in_person")
    )
    mine = _page(client, url)[1]
    assert "re going" in mine and going_in_person(mine) == going_in_person(before) + 2


def test_a_process_with_another_secret_key_keeps_its_own_copy(world, client, member, settings):
    """The kept session hash is derived with SECRET_KEY: a copy made under one key must not
    sign people out of a process running with another (a key rotation, a benchmark)."""
    home = reverse("groups:mine")
    client.force_login(member)
    assert client.get(home).status_code == 200  # the account is cached under this key
    settings.SECRET_KEY = "another-secret-key-" + "k" * 40
    # The same session, its hash as a process with the new key writes it (no new sign-in,
    # which would renew the account's copy anyway).
    session = client.session
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.save()
    assert client.get(home).status_code == 200
