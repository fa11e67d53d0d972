"""The dashboards are cached per organisation and filters (feedback/dashboard/cache.py).
Their figures change only when a whole unit is added (a meeting's survey released, a
month counted: dashboard/units.py), and each such change shows on the next view; what a
member or facilitator does in between changes nothing on the page.

The threshold is 1 here, so a single RSVP, mark or answer is a figure the page shows.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import services as feedback_services
from feedback.tasks import release_closed_surveys
from groups.models import Membership
from groups.services import membership as membership_services
from sessions.models import Attendance, Meeting, Rsvp
from sessions.services.attendance import attendance_mark
from sessions.services.rsvp import rsvp_set
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
)
from tests.feedback.conftest import past_meeting_for, release
from tests.feedback.dashboard_data import close_months

pytestmark = pytest.mark.django_db
WITHHELD = "not enough responses yet"
TOO_FEW = "too few people to show"  # a withheld count of people


@pytest.fixture(autouse=True)
def _cache_on_and_threshold_one(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    settings.SMALL_NUMBER_THRESHOLD = 1


@pytest.fixture
def org():
    return OrganisationFactory(slug="harbour")


@pytest.fixture
def group(org):
    return PeerGroupFactory(organisation=org, name="Lighthouse")


@pytest.fixture
def people(group):
    return [MembershipFactory(group=group, status="active").user for _ in range(3)]


@pytest.fixture
def facilitator(group):
    return MembershipFactory(group=group, role="facilitator", status="active").user


@pytest.fixture
def view(client, org):
    """`view(query)`: the organisation's dashboard page as one of its organizers sees it."""
    organizer = UserFactory()
    add_organizer(organizer, org)
    client.force_login(organizer)

    def page(query: str = "") -> str:
        url = reverse("feedback:org_dashboard", args=[org.slug])
        response = client.get(f"{url}?{query}" if query else url)
        assert response.status_code == 200
        return response.content.decode()

    return page


def figure(page: str, label: str) -> str:
    """The value shown next to `label` in the participation figures."""
    found = re.search(rf"<dt[^>]*>{re.escape(label)}</dt><dd[^>]*>([^<]*)</dd>", page)
    assert found, f"no figure {label!r} on the page"
    return found.group(1)


def table(page: str, heading_id: str) -> list[list[str]]:
    """The rows of the table labelled by `heading_id`, as the cells' text."""
    found = re.search(
        rf'aria-labelledby="{heading_id}">\s*<table.*?<tbody>(.*?)</tbody>', page, re.S
    )
    assert found, f"no table {heading_id!r} on the page"
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


def report_queries(captured) -> list[str]:
    """The queries of a view that read the dashboard's figures or the groups it lists
    (sign-in reads memberships joined with their groups, never these alone)."""
    read = re.compile(
        r'FROM "(feedback_|meetings_|groups_peergroup" WHERE|groups_membership" WHERE)'
    )
    return [q["sql"] for q in captured.captured_queries if read.search(q["sql"])]


def answers(page: str) -> str:
    return re.search(r"Anonymous check-in answers in the period: ([^.]*)\.", page).group(1)


CAME = "People who came to a meeting, counted per month"


def test_the_second_identical_view_comes_from_the_cache(view, group, people):
    release(past_meeting_for(group, present=people, hours_ago=30))
    close_months()
    with CaptureQueriesContext(connection) as first:
        page = view("period=12m")
    with CaptureQueriesContext(connection) as second:
        again = view("period=12m")
    # Only sign-in and the permission check stay per request (4 queries); the report's
    # 20 and the organisation's list of groups come from the cache.
    assert len(first) >= len(second) + 20
    assert len(second) <= 4 and not report_queries(second)
    assert figure(again, CAME) == "3"
    assert table(again, "compare-table-heading") == table(page, "compare-table-heading")
    # The query string is cleaned first: unknown parameters share the same copy.
    with CaptureQueriesContext(connection) as noisy:
        view("period=12m&utm_source=mail")
    assert len(noisy) == len(second)
    # Other filters are another report.
    with CaptureQueriesContext(connection) as other:
        view("period=3m")
    assert len(report_queries(other)) >= 15


def test_every_organizer_gets_the_copy_and_an_outsider_still_gets_nothing(
    client, view, org, group, people
):
    past_meeting_for(group, present=people, hours_ago=30)
    close_months()
    view()
    colleague = UserFactory()
    add_organizer(colleague, org)
    client.force_login(colleague)
    url = reverse("feedback:org_dashboard", args=[org.slug])
    with CaptureQueriesContext(connection) as shared:
        page = client.get(url).content.decode()
    assert not report_queries(shared) and figure(page, "Members (active or on a break)") == "3"
    client.force_login(UserFactory())
    assert client.get(url).status_code in (403, 404)
    csv_url = reverse("feedback:org_dashboard_csv", args=[org.slug])
    assert client.get(csv_url).status_code in (403, 404)


def test_a_mark_of_attendance_changes_nothing_until_its_month_is_counted(
    view, group, people, facilitator, django_capture_on_commit_callbacks
):
    meeting = past_meeting_for(group, present=people[:2], hours_ago=2)
    before = view()
    assert figure(before, CAME) == TOO_FEW
    with django_capture_on_commit_callbacks(execute=True):
        attendance_mark(meeting=meeting, member=people[2], status="present", by=facilitator)
    assert figure(view(), CAME) == TOO_FEW
    close_months()  # renews the cached copy: the counted month shows on the next view
    assert figure(view(), CAME) == "3"


def test_rsvps_show_as_they_were_when_the_meeting_was_released(
    view, group, people, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(group=group)  # in three days
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_set(meeting=meeting, member=people[0], status="going", mode="online")
    today = timezone.localdate()
    query = f"from={today - datetime.timedelta(days=30)}&to={today + datetime.timedelta(days=30)}"
    assert "No meetings in this period." in view(query)
    # After the meeting: one person answers; beat releases the survey once it closed.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    meeting.refresh_from_db()
    Attendance.objects.create(meeting=meeting, user=people[0], status="present")
    feedback_services.checkin_submit(
        meeting=meeting,
        member=people[0],
        version=1,
        ratings={"heard": 7, "mattered": 7, "method": 7, "overall": 7},
        mood_before=3,
        mood_after=4,
    )
    assert release_closed_surveys() == 0  # not closed yet
    assert "No meetings in this period." in view(query)
    later = meeting.ends_at + datetime.timedelta(days=7, hours=2)
    assert feedback_services.checkin_release_due(now=later) == 1
    assert [row[2:] for row in table(view(query), "meetings-heading")] == [["1", "1"]]
    # A later change of RSVP is not a new unit: the page stays as released.
    with django_capture_on_commit_callbacks(execute=True):
        Rsvp.objects.filter(meeting=meeting).update(status="not_going")
        Rsvp.objects.get(meeting=meeting).save()
    assert [row[2:] for row in table(view(query), "meetings-heading")] == [["1", "1"]]


def test_a_checkin_answer_shows_once_its_survey_is_released(
    view, group, people, django_capture_on_commit_callbacks
):
    meeting = past_meeting_for(group, present=people, hours_ago=2)
    assert answers(view()) == WITHHELD
    question_set = feedback_services.question_set_current(organisation=group.organisation_id)
    for person, rating in zip(people, (2, 5, 8), strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            feedback_services.checkin_submit(
                meeting=meeting,
                member=person,
                version=question_set.version,
                ratings={q["key"]: rating for q in question_set.questions},
                mood_before=2,
                mood_after=4,
            )
        assert answers(view()) == WITHHELD  # held: not in the database yet
    assert release(meeting) == 3  # renews the cached copy
    page = view()
    assert answers(page) == "3"
    assert "Mood before meetings: 2.0; after: 4.0" in page
    row = table(page, "meetings-heading")[0]
    assert row[2:] == [TOO_FEW, "3"]  # said going (nobody), came: as frozen at the release


def test_a_break_and_a_leave_change_nothing_until_the_month_is_counted(
    view, group, people, django_capture_on_commit_callbacks
):
    page = view()
    assert figure(page, "Members on a break") == TOO_FEW
    assert figure(page, "Members (active or on a break)") == TOO_FEW
    first, second = (Membership.objects.get(group=group, user=p) for p in people[:2])
    with django_capture_on_commit_callbacks(execute=True):
        membership_services.membership_take_break(membership=first, until=None)
        membership_services.membership_leave(membership=second)
    assert view() == page
    close_months()
    page = view()
    assert figure(page, "Members on a break") == "1"
    assert figure(page, "Members (active or on a break)") == "2"


def test_an_anonymous_suggestion_counts_once_released_and_its_month_counted(
    view, group, people, django_capture_on_commit_callbacks
):
    rows = table(view(), "suggestions-heading")
    assert rows[0] == ["A topic to talk about"] + [WITHHELD] * 4
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.suggestion_add(
            group=group, author=people[0], kind="topic", text="Sleep", anonymous=True
        )
    assert feedback_services.suggestions_release_due() == 1
    assert table(view(), "suggestions-heading")[0] == ["A topic to talk about"] + [WITHHELD] * 4
    close_months()
    assert table(view(), "suggestions-heading")[0] == ["A topic to talk about", "1", "0", "0", "0"]


def test_a_renamed_group_shows_at_once(view, group, people, django_capture_on_commit_callbacks):
    assert table(view(), "compare-table-heading")[0][0] == "Lighthouse"
    with django_capture_on_commit_callbacks(execute=True):
        group.name = "Harbour Lights"
        group.save()
    assert table(view(), "compare-table-heading")[0][0] == "Harbour Lights"


def test_another_organisations_changes_leave_this_copy_alone(view, group, people):
    past_meeting_for(group, present=people, hours_ago=30)
    view()
    elsewhere = PeerGroupFactory(organisation=OrganisationFactory())
    past_meeting_for(elsewhere, present=[MembershipFactory(group=elsewhere).user])
    with CaptureQueriesContext(connection) as after:
        view()
    assert not report_queries(after)


def test_the_filters_form_shows_each_views_own_ticks_and_messages(view, group, people):
    box = f'value="{group.pk}" id="group-{group.pk}" checked'
    assert box not in view("period=12m")
    # The same groups as the default view (the only one), ticked: the same report, but
    # the form shows the tick.
    assert box in view(f"period=12m&group={group.pk}")
    # A period not understood falls back to the same 12 months, with a message.
    assert "That period isn&#x27;t known" in view("period=fortnight")
    assert "That period isn&#x27;t known" not in view("period=12m")


def test_a_facilitators_group_dashboard_is_cached_and_shows_a_release_at_once(
    client, group, people, facilitator
):
    from tests.factories import give_mfa

    give_mfa(facilitator)
    client.force_login(facilitator)
    url = reverse("feedback:group_dashboard", args=[group.slug])
    meeting = past_meeting_for(group, present=people, hours_ago=2)
    for person in people[:2]:
        feedback_services.checkin_submit(
            meeting=meeting,
            member=person,
            version=1,
            ratings={"heard": 7, "mattered": 7, "method": 7, "overall": 7},
            mood_before=3,
            mood_after=4,
        )
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        page = client.get(url).content.decode()
    assert not report_queries(cached)
    assert answers(page) == WITHHELD
    release(meeting)
    assert answers(client.get(url).content.decode()) == "2"


def test_renewing_the_copy_costs_no_query_of_its_own(group, people):
    """Receivers read the organisation from what the saved row already holds, or look it
    up once and keep it in the cache."""
    meeting = MeetingFactory(group=group)  # holds its group, which holds the organisation id
    with CaptureQueriesContext(connection) as held:
        Rsvp.objects.create(meeting=meeting, user=people[0], status="going")
    assert len(held) == 1  # the INSERT
    with CaptureQueriesContext(connection) as first:
        Rsvp.objects.create(meeting_id=meeting.pk, user=people[1], status="going")
    with CaptureQueriesContext(connection) as later:
        Rsvp.objects.create(meeting_id=meeting.pk, user=people[2], status="going")
    assert (len(first), len(later)) == (2, 1)  # by id alone: looked up once, then kept


CONTENT = "feedback/dashboard/organisation_dashboard.html"  # what a drawn page is drawn from


def drawn_now(response) -> bool:
    """Whether this response drew the page's content (rather than serving it kept)."""
    return CONTENT in [t.name for t in response.templates]


def test_the_page_is_kept_drawn_and_a_made_up_query_string_is_never_kept(
    client, view, org, group, people
):
    release(past_meeting_for(group, present=people, hours_ago=30))
    close_months()
    url = reverse("feedback:org_dashboard", args=[org.slug])
    first, second = client.get(f"{url}?period=12m"), client.get(f"{url}?period=12m")
    assert drawn_now(first) and not drawn_now(second)
    assert second.content == first.content
    assert figure(second.content.decode(), CAME) == "3"
    # Parameters or values the filters don't take are drawn for each request (from the
    # parts kept per cleaned filters), so nobody can fill the cache with made-up ones.
    for query in ("period=12m&utm_source=mail", "period=fortnight", "group=999999"):
        for _ in range(2):
            page = client.get(f"{url}?{query}")
            assert drawn_now(page)
        shown = page.content.decode()
        assert table(shown, "compare-table-heading") == table(
            second.content.decode(), "compare-table-heading"
        )
    assert "That period isn&#x27;t known" in client.get(f"{url}?period=fortnight").content.decode()


def test_each_reader_gets_the_page_in_their_own_language_and_zone(client, view, org, group, people):
    past_meeting_for(group, present=people, hours_ago=30)
    close_months()
    url = reverse("feedback:org_dashboard", args=[org.slug])
    english = client.get(url)
    assert not drawn_now(client.get(url))
    french = UserFactory(preferred_language="fr")
    add_organizer(french, org)
    client.force_login(french)
    page = client.get(url)
    assert drawn_now(page)
    assert 'lang="fr"' in page.content.decode()
    assert "Change the period, groups or meeting format" in english.content.decode()
    assert "Change the period, groups or meeting format" not in page.content.decode()
    elsewhere = UserFactory(time_zone="Pacific/Kiritimati")
    add_organizer(elsewhere, org)
    client.force_login(elsewhere)
    try:
        assert drawn_now(client.get(url))  # the period ends on the reader's own today
    finally:
        timezone.deactivate()  # the middleware leaves the zone active on this thread
