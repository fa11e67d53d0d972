"""The group space in Chromium, by clicking from each person's home page: a member starts
a thread and another replies, and the first finds the reply from the bell; words of
distress show their author crisis resources and reach the facilitator's follow-ups; two
members' reports hide a post; the facilitator restores it. axe checks each new page (0
serious or critical)."""

from __future__ import annotations

import pytest

from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
    sign_agreement,
)
from tests.fixtures.browser import axe_check, sign_in
from tests.journeys.support import Clicks, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey]

GROUP = "Night Shift Circle"


def _seed():
    organisation = OrganisationFactory(name="Harbour Peer Network")
    group = PeerGroupFactory(organisation=organisation, name=GROUP)
    facilitator = UserFactory(email="frankie@example.net", display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    version = publish_agreement(group, by=facilitator)
    for email, name in (
        ("ash@example.net", "Ash"),
        ("bo@example.net", "Bo"),
        ("cy@example.net", "Cy"),
    ):
        person = UserFactory(email=email, display_name=name)
        MembershipFactory(group=group, user=person)
        sign_agreement(person, version)
    return group


@pytest.fixture
def contexts():
    """The other people's browser contexts, closed when the journey ends."""
    opened: list = []
    yield opened
    for context in opened:
        context.close()


def _person(_browser, live_server, contexts, email: str) -> Clicks:
    """Another person at another computer: their own browser context, signed in."""
    context = _browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    contexts.append(context)
    tab = context.new_page()
    sign_in(tab, email, PASSWORD)
    clicks = Clicks(tab)
    clicks.open_home()
    return clicks


def _open_space(clicks: Clicks) -> None:
    with clicks.task("open the group space from home", budget=1):
        clicks.link(f"Group space of {GROUP}")
    clicks.page.get_by_role("heading", name=f"Group space of {GROUP}").wait_for()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_members_talk_between_meetings_and_the_facilitator_moderates(
    page, _browser, live_server, contexts
):
    _seed()
    sign_in(page, "ash@example.net", PASSWORD)
    ash = Clicks(page)
    ash.open_home()
    _open_space(ash)
    axe_check(page)
    with ash.task("start a thread", budget=2):
        ash.link("Start a thread")
        axe_check(page)
        page.get_by_label("Title").fill("Awake at 3 am")
        page.get_by_label("Your message").fill("Anyone else up?\nhttps://example.org/sleep")
        ash.button("Start the thread")
    page.get_by_text("Anyone else up?").wait_for()
    axe_check(page)
    screenshots(page, "space-thread")

    bo = _person(_browser, live_server, contexts, "bo@example.net")
    _open_space(bo)
    with bo.task("reply to a thread", budget=2):
        bo.link("Awake at 3 am")
        bo.page.get_by_label("Your message").fill("Me too, most nights.")
        bo.button("Post reply")
    bo.page.get_by_text("Me too, most nights.").wait_for()

    with ash.task("see the reply from the bell", budget=3):
        ash.link("All threads")  # any page: the menu's bell counts the reply
        ash.link("Notifications, 1 unread", exact=True)
        axe_check(page)
        ash.link("New reply in “Awake at 3 am”")
    page.get_by_text("Me too, most nights.").wait_for()

    with bo.task("share something hard", budget=1):
        bo.page.get_by_label("Your message").fill("Honestly, some nights I want to die.")
        bo.button("Post reply")
    bo.page.get_by_role("heading", name="It sounds like things are hard right now").wait_for()
    axe_check(bo.page)
    screenshots(bo.page, "space-care")

    for reporter in (ash, _person(_browser, live_server, contexts, "cy@example.net")):
        if reporter is not ash:
            _open_space(reporter)
            reporter.link("Awake at 3 am")
        else:
            ash.link("All threads")
            ash.link("Awake at 3 am")
        with reporter.task("report a post", budget=2):
            reporter.link("Report the post by Bo")
            axe_check(reporter.page)
            reporter.page.get_by_label("It is disrespectful or hurtful").check()
            reporter.button("Send to the facilitators")
        reporter.page.get_by_text("The author won't know who reported it").wait_for()

    ash.link("All threads")
    ash.link("Awake at 3 am")
    assert page.get_by_text("Me too, most nights.").count() == 0  # hidden pending review

    frankie = _person(_browser, live_server, contexts, "frankie@example.net")
    _open_space(frankie)
    with frankie.task("open the moderation queue", budget=1):
        frankie.link("Moderation")
    frankie.page.get_by_text("Me too, most nights.").wait_for()
    axe_check(frankie.page)
    with frankie.task("see the urgent follow-up", budget=1):
        frankie.link("Follow-ups")
    frankie.page.get_by_text("Urgent").first.wait_for()
    with frankie.task("restore the reported post", budget=3):
        frankie.page.go_back()
        frankie.button("Restore")
    frankie.page.get_by_text("Restored").wait_for()

    ash.link("All threads")
    ash.link("Awake at 3 am")
    page.get_by_text("Me too, most nights.").wait_for()
