"""The one cache mechanism (peersupport/cache.py) and its table of what renews what
(peersupport/cache_scopes.py): every model in the table renews its scopes on save,
delete and the bulk paths; scopes are per group; removals and rollbacks show at once."""

from __future__ import annotations

import pytest
from django.db import transaction

from groups import selectors as group_selectors
from groups.models import Membership, OrganisationRole
from peersupport import cache
from peersupport.cache_scopes import SAVE_ONLY, SCOPES, scopes_of
from peersupport.mfa import mfa_needed
from tests.factories import MembershipFactory, UserFactory, add_organizer

pytestmark = pytest.mark.django_db


def _tokens(scopes) -> dict:
    return cache.tokens(scopes)


def _new_row(world, label: str):
    """A new row of the model `label` in the shared world."""
    import datetime

    from django.utils import timezone

    from feedback import models as fm
    from finders.models import FeedSource
    from groups.models import Concern, SupportRequest
    from sessions import models as sm
    from space.models import Participant, Post, Report, Thread
    from tests.factories import (
        MeetingFactory,
        OrganisationFactory,
        PeerGroupFactory,
        give_mfa,
        publish_agreement,
        sign_agreement,
    )

    member, group = world.users["member"], world.group
    today = timezone.localdate()
    soon = timezone.now() + datetime.timedelta(days=3)

    def meeting():
        return MeetingFactory(group=group, starts_at=soon)

    def question_set():
        return fm.QuestionSet.objects.create(organisation=group.organisation, version=99)

    def review():
        return fm.GoalReview.objects.create(group=group, opened_on=today, closes_on=today)

    def goal():
        return fm.GroupGoal.objects.create(group=group, title="Meet monthly")

    def event():
        return sm.CommunityEvent.objects.create(
            organisation=group.organisation,
            title="Picnic",
            starts_at=soon,
            ends_at=soon + datetime.timedelta(hours=2),
            time_zone="UTC",
            capacity=10,
        )

    make = {
        "members.user": UserFactory,
        "members.notice": lambda: _notice(member),
        "mfa.authenticator": lambda: _authenticator(give_mfa, UserFactory()),
        "groups.membership": lambda: MembershipFactory(group=group),
        "groups.organisationrole": lambda: add_organizer(UserFactory(), group.organisation),
        "groups.signature": lambda: sign_agreement(member, publish_agreement(group)),
        "groups.peergroup": lambda: PeerGroupFactory(organisation=group.organisation),
        "groups.organisation": OrganisationFactory,
        "groups.agreementversion": lambda: publish_agreement(group),
        "groups.concern": lambda: Concern.objects.create(
            group=group, reporter=member, description="Ground rules not kept"
        ),
        "groups.supportrequest": lambda: SupportRequest.objects.create(
            group=group, member=MembershipFactory(group=group).user
        ),
        "meetings.meetingseries": lambda: sm.MeetingSeries.objects.create(
            group=group,
            frequency=sm.MeetingSeries.Frequency.choices[0][0],
            weekday=today.weekday(),
            start_date=today,
            start_time=datetime.time(18, 0),
            time_zone="UTC",
            count=4,
        ),
        "meetings.meeting": meeting,
        "meetings.agendaitem": lambda: sm.AgendaItem.objects.create(
            meeting=meeting(), title="Check-in", minutes=10
        ),
        "meetings.meetingrole": lambda: sm.MeetingRole.objects.create(
            meeting=meeting(), role=sm.MeetingRole.Role.choices[0][0], user=member
        ),
        "meetings.rsvp": lambda: sm.Rsvp.objects.create(
            meeting=meeting(), user=member, status=sm.Rsvp.Status.GOING
        ),
        "meetings.calendarfeed": lambda: sm.CalendarFeed.objects.create(
            user=UserFactory(), token=UserFactory.build().email
        ),
        "meetings.communityevent": event,
        "meetings.eventrsvp": lambda: sm.EventRsvp.objects.create(
            event=event(), user=member, status=sm.Rsvp.Status.GOING
        ),
        "meetings.attendance": lambda: sm.Attendance.objects.create(
            meeting=meeting(), user=member, status="present"
        ),
        "feedback.checkinreceipt": lambda: fm.CheckinReceipt.objects.create(
            meeting=meeting(), member=member
        ),
        "feedback.checkinresponse": lambda: fm.CheckinResponse.objects.create(
            meeting=meeting(),
            question_set=question_set(),
            meeting_date=today,
            mood_before=2,
            mood_after=4,
        ),
        "feedback.questionset": question_set,
        "feedback.suggestion": lambda: fm.Suggestion.objects.create(
            group=group, kind=fm.Suggestion.Kind.choices[0][0], text="More tea"
        ),
        "feedback.goalreview": review,
        "feedback.goalreviewresponse": lambda: fm.GoalReviewResponse.objects.create(
            review=review(), discussions=3, activities=3
        ),
        "feedback.groupgoal": goal,
        "feedback.groupgoalnote": lambda: fm.GroupGoalNote.objects.create(
            goal=goal(), text="On track"
        ),
        "feedback.personalgoal": lambda: fm.PersonalGoal.objects.create(
            owner=member, title="Walk", measure="days", target_date=today
        ),
        "space.post": lambda: Post.objects.create(
            thread=world.space_thread, author=member, body="Hello"
        ),
        "space.thread": lambda: Thread.objects.create(group=group, title="Hello", author=member),
        "space.participant": lambda: Participant.objects.create(group=group, user=UserFactory()),
        "space.report": lambda: Report.objects.create(
            post=world.space_post, reporter=UserFactory(), reason="other"
        ),
        "finders.feedsource": lambda: FeedSource.objects.create(
            organisation=group.organisation, name="Solent", url="https://solent.example.org/f"
        ),
    }
    return make[label]()


def _notice(member):
    from django.contrib.contenttypes.models import ContentType

    from members.models import Notice

    return Notice.objects.create(
        kind="rsvp_confirmed",
        about_type=ContentType.objects.get_for_model(member),
        about_id=member.pk,
        recipient=member,
    )


def _authenticator(give_mfa, user):
    from allauth.mfa.models import Authenticator

    give_mfa(user)
    return Authenticator.objects.get(user=user)


class _Undo(Exception):
    pass


def _renewed(before: dict, scopes) -> list[str]:
    after = cache.read_tokens(scopes)
    return [s for s in scopes if after[s] == before[s]]


@pytest.mark.parametrize("label", sorted(SCOPES))
def test_every_model_in_the_table_renews_its_scopes_on_save_and_delete(world, label):
    row = _new_row(world, label)
    assert row._meta.label_lower == label
    scopes = scopes_of(row)
    assert scopes, f"{label} renews nothing"

    # Saved again (a published agreement and a signature are never changed: another one
    # is created, which renews the same scopes).
    before = _tokens(scopes)
    if label in {"groups.agreementversion", "groups.signature"}:
        _new_row(world, label)
    else:
        row.save()
    assert not _renewed(before, scopes), f"{label} saved: these kept their token"

    if label in SAVE_ONLY:
        return
    before = _tokens(scopes)
    with pytest.raises(_Undo), transaction.atomic():
        # The organisation's own agreement templates, a group's agreements: delete the
        # rows that protect it first, as deleting an organisation or group does.
        if label == "groups.organisation":
            row.agreement_templates.all().delete()
        row.delete()
        missed = _renewed(before, scopes)
        raise _Undo
    assert not missed, f"{label} deleted: these kept their token"


def test_saving_one_group_leaves_another_group_s_cached_rows(world):
    member, other = world.users["member"], UserFactory()
    MembershipFactory(group=world.other_group, user=other)
    group_selectors.memberships_of(other)  # cached
    theirs = cache.read_tokens([f"person:{other.pk}", f"group:{world.other_group.pk}"])
    mine = cache.read_tokens([f"person:{member.pk}"])

    world.group.name = "Renamed Circle"
    world.group.save()

    assert cache.read_tokens(theirs) == theirs
    assert cache.read_tokens(mine) != mine  # its own members' rows are renewed


def _end_memberships(world):
    from groups.data_rights import memberships_empty

    member = world.users["member"]
    memberships_empty(member)
    assert Membership.objects.get(user=member, group=world.group).status == "left"


def _blank_signatures(world):
    from groups.data_rights import signatures_blank

    signatures_blank(world.users["member"])


def _agenda_item_add(world):
    from sessions.services.agenda import agenda_item_add

    meeting = world.meeting
    agenda_item_add(
        meeting=meeting,
        version=meeting.agenda_version,
        title="Round",
        objective="",
        minutes=10,
        flexible=False,
    )


def _calendar_sequence(world):
    meeting = type(world.meeting).objects.get(pk=world.meeting.pk)
    meeting.topic = "A new topic"
    meeting.save()  # its post_save raises SEQUENCE with an .update()


def _pseudonyms_forget(world):
    from space.privacy import pseudonyms_forget

    pseudonyms_forget(world.users["member"])


def _dashboard_release(world):
    from feedback.dashboard import figures

    figures.refresh([world.meeting.pk])


# Writes that send no signal (`.update()`, bulk_create, raw SQL), and what they must renew.
BULK_PATHS = {
    "memberships ended on erasure": (
        _end_memberships,
        lambda w: [
            f"person:{w.users['member'].pk}",
            f"public:group:{w.group.pk}",
            f"dashboard:{w.group.organisation_id}",
        ],
    ),
    "signatures blanked on erasure": (
        _blank_signatures,
        lambda w: [f"person:{w.users['member'].pk}"],
    ),
    "agenda written in bulk": (
        _agenda_item_add,
        lambda w: [f"meeting:{w.meeting.pk}", f"org-meetings:{w.group.organisation_id}"],
    ),
    "calendar sequence raised": (
        _calendar_sequence,
        lambda w: [f"feed:group:{w.meeting.group_id}"],
    ),
    "pseudonyms forgotten on erasure": (
        _pseudonyms_forget,
        lambda w: [f"thread:{w.space_thread.pk}"],
    ),
    "dashboard figures rewritten": (
        _dashboard_release,
        lambda w: [f"dashboard:{w.meeting.group.organisation_id}"],
    ),
}


@pytest.mark.parametrize("path", sorted(BULK_PATHS))
def test_every_bulk_path_renews_its_scopes(world, path, django_capture_on_commit_callbacks):
    write, scopes_of_world = BULK_PATHS[path]
    scopes = scopes_of_world(world)
    before = _tokens(scopes)
    with django_capture_on_commit_callbacks(execute=True):
        write(world)
    assert not _renewed(before, scopes), f"{path}: these kept their token"


def test_a_removed_organizer_loses_access_at_once(world):
    person = UserFactory()
    add_organizer(person, world.group.organisation)
    assert group_selectors.organisation_roles_of(person)  # now cached
    person = type(person).objects.get(pk=person.pk)
    assert group_selectors.organisation_roles_of(person)  # served from the cache

    OrganisationRole.objects.filter(user=person).get().delete()

    fresh = type(person).objects.get(pk=person.pk)
    assert not group_selectors.organisation_roles_of(fresh)


def test_the_mfa_flag_after_a_rolled_back_demotion_still_requires_mfa(
    world, django_capture_on_commit_callbacks
):
    person = UserFactory()
    membership = MembershipFactory(group=world.group, user=person, role="facilitator", mfa=False)
    assert mfa_needed(user_id=person.pk) is True

    with pytest.raises(_Undo), transaction.atomic():
        membership.role = Membership.Role.MEMBER
        membership.save()
        assert mfa_needed(user_id=person.pk) is False  # computed, not stored
        raise _Undo
    assert mfa_needed(user_id=person.pk) is True

    with django_capture_on_commit_callbacks(execute=True):
        membership.role = Membership.Role.MEMBER
        membership.save()
    assert mfa_needed(user_id=person.pk) is False


def test_nothing_read_inside_an_open_transaction_is_stored(world):
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    with transaction.atomic():
        assert cache.fetch("probe", ("probe",), build) == 1
    assert cache.fetch("probe", ("probe",), build) == 2  # built again, then stored
    assert cache.fetch("probe", ("probe",), build) == 2


def test_a_removed_organizer_is_refused_the_organisation_s_pages_on_the_next_request(
    world, client_for, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from groups.services.organisations import organisation_remove_organizer

    organisation = world.group.organisation
    person = UserFactory()
    add_organizer(person, organisation)
    client = client_for(person)
    url = reverse("groups:organisation_edit", args=[organisation.slug])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # from the cached permission rows

    with django_capture_on_commit_callbacks(execute=True):
        organisation_remove_organizer(role=OrganisationRole.objects.get(user=person))

    assert client.get(url).status_code in (403, 404)


def test_saving_another_group_or_series_keeps_a_meeting_page_s_cached_rows(
    world, django_assert_num_queries
):
    from sessions.selectors import meeting_for_page

    meeting = world.meeting
    meeting_for_page(meeting.pk)
    meeting_for_page(meeting.pk)  # stored with its group's, organisation's tokens
    world.other_group.name = "Renamed elsewhere"
    world.other_group.save()
    with django_assert_num_queries(0):
        assert meeting_for_page(meeting.pk).group.name == world.group.name

    world.group.name = "Renamed here"
    world.group.save()
    assert meeting_for_page(meeting.pk).group.name == "Renamed here"
