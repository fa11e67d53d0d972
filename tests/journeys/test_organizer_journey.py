"""An organizer, in Chromium, by clicking from their home page: a new group and its
facilitator, the dashboard and its CSV, and a concern to handle.

The organisation already runs two groups: one where five people answered the anonymous
check-in (figures shown) and one where two did (the small-number rule hides them). The
organizer filters, downloads the CSV and sees "not enough responses yet" exactly where
fewer than five answered. Each task has a click budget (`Clicks`).
"""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import capfirst

from feedback.services import checkin_release, checkin_submit, question_set_current
from groups.models import Concern, Membership, PeerGroup, RoleInvitation
from groups.services.organisations import role_invitation_accept
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    add_organizer,
)
from tests.feedback.conftest import past_meeting_for
from tests.fixtures.browser import axe_check, fits_narrow_screen, sign_in
from tests.journeys.support import LANGUAGES, Clicks, Words, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey]


def _group_with_answers(organisation, name: str, topic: str, answers: int) -> PeerGroup:
    group = PeerGroupFactory(organisation=organisation, name=name, topics=[topic])
    people = [MembershipFactory(group=group).user for _ in range(answers)]
    meeting = past_meeting_for(group, present=people)
    version = question_set_current(organisation=organisation).version
    for person in people:
        checkin_submit(
            meeting=meeting,
            member=person,
            version=version,
            ratings={"heard": 8, "mattered": 7, "method": 8, "overall": 9},
            mood_before=2,
            mood_after=4,
        )
    checkin_release(meeting_id=meeting.pk)  # the survey closed a week later
    return group


def _before(text: str, cut: str = "\0") -> str:
    """The start of `text` up to the value marked `cut` (a date the page formats itself)."""
    return text.split(cut)[0].rstrip()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_organizer_creates_a_group_appoints_reads_the_dashboard_and_handles_a_concern(
    page, language
):
    say = Words(language)
    organisation = OrganisationFactory(name="Harbour Peer Network", slug="harbour")
    organizer = UserFactory(email="olu@example.net", display_name="Olu")
    add_organizer(organizer, organisation)
    frankie = UserFactory(email="frankie@example.net", display_name="Frankie")
    _group_with_answers(organisation, "Blue Light Circle", "ptsd", answers=5)
    quiet = _group_with_answers(organisation, "Quiet Harbour", "anxiety", answers=2)
    concern = Concern.objects.create(
        group=quiet,
        reporter=Membership.objects.filter(group=quiet).first().user,
        description="Someone kept talking over others.",
    )

    sign_in(page, organizer.email, PASSWORD)  # with the authenticator code
    clicks = Clicks(page)
    clicks.open_home()
    page.get_by_role("heading", name=say("Welcome, %(name)s", name="Olu")).wait_for()
    screenshots(page, f"organizer-home-{language}")
    axe_check(page)
    fits_narrow_screen(page)

    with clicks.task("set up a new group", budget=4):
        clicks.link(say("Organise"), exact=True)
        new_group = f"{say('New group')} {say('in %(name)s', name='Harbour Peer Network')}"
        clicks.link(new_group, exact=True)
        page.locator("#id_name").fill("Night Owls")
        page.locator("#id_purpose").fill("A circle for people who work nights.")
        page.locator("#id_audience").fill("Night-shift workers")
        page.locator("#id_topics").fill("sleep, shift work")
        page.locator("#id_format").select_option("in_person")
        page.locator("#id_city").fill("Leeds")
        clicks.button(say("Save group"))
        page.get_by_text(
            say("The group is set up. Appoint its facilitators on the organisation's people page.")
        ).wait_for()
    page.get_by_role("heading", name="Night Owls", level=1).wait_for()
    screenshots(page, f"organizer-new-group-{language}")

    with clicks.task("appoint its facilitator", budget=4):
        clicks.link(say("Organise"), exact=True)
        people = f"{say('People')} {say('of %(name)s', name='Harbour Peer Network')}"
        clicks.link(people, exact=True)
        form = page.locator("#appoint-facilitator")
        form.get_by_label(say("Group")).select_option(label="Night Owls")
        form.get_by_label(say("Email of the facilitator")).fill(frankie.email)
        clicks.button(say("Invite as facilitator"), within=form)
        page.get_by_text(
            say(
                "Invitation sent to %(email)s. Nothing changes for them until they accept it.",
                email=frankie.email,
            )
        ).wait_for()
    axe_check(page)
    fits_narrow_screen(page)
    # Nothing changes for Frankie until they accept (in their own session, elsewhere).
    assert not Membership.objects.filter(group__name="Night Owls", user=frankie).exists()
    role_invitation_accept(invitation=RoleInvitation.objects.get(invitee=frankie))
    appointed = Membership.objects.get(group__name="Night Owls", user=frankie)
    assert (appointed.role, appointed.status) == ("facilitator", "active")

    _read_filter_and_export_the_dashboard(clicks, page, say)

    with clicks.task("handle a concern", budget=4):
        clicks.link(say("Home"), exact=True)
        raised = say("Concern in %(group)s, raised %(date)s", group="Quiet Harbour", date="\0")
        clicks.link(_before(raised))
        page.get_by_text("Someone kept talking over others.").wait_for()
        page.get_by_label(say("What happened")).select_option("closed")
        page.get_by_label(capfirst(say("what was done"))).fill(
            "Talked with the group about turn-taking."
        )
        clicks.button(say("Record"))
        page.get_by_text("Talked with the group about turn-taking.").first.wait_for()
    concern.refresh_from_db()
    assert concern.status == "closed"
    clicks.link(say("Home"), exact=True)
    page.get_by_text(say("No open concern.")).wait_for()


def _comparison_row(page, group: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=group))


def _read_filter_and_export_the_dashboard(clicks, page, say) -> None:
    not_enough = say("not enough responses yet")
    with clicks.task("read the dashboard and download its CSV", budget=4):
        clicks.link(say("Home"), exact=True)
        clicks.link(say("Dashboard of %(name)s", name="Harbour Peer Network"))
        page.get_by_role(
            "heading", name=say("Dashboard: %(name)s", name="Harbour Peer Network")
        ).wait_for()
        page.get_by_role("heading", name=say("Needs attention")).wait_for()
        # Too little data: listed once under the small charts; the table is in the details.
        compare = page.locator(
            "section", has=page.get_by_role("heading", name=say("Groups side by side"), exact=True)
        )
        assert "Quiet Harbour" in compare.inner_text()
        page.locator("#details-compare > summary").click()
        assert not_enough in _comparison_row(page, "Quiet Harbour").inner_text()
        # Its released meeting's five answers show; counts by month wait for the month's end.
        blue_light = _comparison_row(page, "Blue Light Circle").inner_text()
        # Figures are written the reader's way: "9.0" in English, "9,0" in Spanish and French.
        with translation.override(say.language):
            figures = "\t".join(number_format(v, 1) for v in (9.0, 2.0, 4.0))
        assert blue_light.endswith(figures), blue_light
        page.locator(".dashboard-filters > summary").click()  # unfold the filters
        page.get_by_label(say("Topic")).select_option("ptsd")
        clicks.button(say("Show"))
        page.locator("#details-perception > summary").click()
        page.get_by_text(say("Anonymous check-in answers in the period: %(n)s.", n=5)).wait_for()
        assert _comparison_row(page, "Quiet Harbour").count() == 0
        with page.expect_download() as download:
            clicks.link(say("Download these figures (CSV)"))
    screenshots(page, f"organizer-dashboard-{say.language}")
    axe_check(page)
    fits_narrow_screen(page)
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    text = "\n".join(",".join(row) for row in rows)
    assert "Blue Light Circle" in text and "Quiet Harbour" not in text

    page.locator(".dashboard-filters > summary").click()
    page.get_by_label(say("Topic")).select_option("anxiety")
    clicks.button(say("Show"))
    page.locator("#details-perception > summary").click()
    # Two answers: even their number is hidden, here and in every figure built on them.
    page.get_by_text(
        say("Anonymous check-in answers in the period: %(n)s.", n=not_enough)
    ).wait_for()
    assert _comparison_row(page, "Blue Light Circle").count() == 0
    overall = say("Overall, this meeting was right for me")
    page.get_by_text(f"{overall} · {say('average')} {not_enough}").wait_for()
    axe_check(page)
    fits_narrow_screen(page)
