"""The group space in Chromium, by clicking from each person's home page: a member starts
a thread and another replies, and the first finds the reply from the bell; words of
distress show their author crisis resources and reach the facilitator's follow-ups; two
members' reports hide a post; the facilitator restores it. axe checks each new page (0
serious or critical), and that it fits a 320-pixel phone without scrolling sideways.

It runs in English, Spanish and French: everyone's browser asks for the language, and every
name clicked, waited for or asserted comes from the catalogues (`Words`)."""

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
from tests.fixtures.browser import BROWSER_LOCALES, axe_check, fits_narrow_screen, sign_in
from tests.journeys.support import LANGUAGES, Clicks, Words, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey]

GROUP = "Night Shift Circle"


def _seed(language: str):
    organisation = OrganisationFactory(name="Harbour Peer Network", default_language=language)
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


def _person(_browser, live_server, contexts, email: str, language: str) -> Clicks:
    """Another person at another computer: their own browser context, in the journey's
    language, signed in."""
    context = _browser.new_context(
        base_url=live_server.url, reduced_motion="reduce", locale=BROWSER_LOCALES[language]
    )
    contexts.append(context)
    tab = context.new_page()
    sign_in(tab, email, PASSWORD)
    clicks = Clicks(tab)
    clicks.open_home()
    return clicks


def _open_space(clicks: Clicks, say: Words) -> None:
    with clicks.task("open the group space from home", budget=1):
        clicks.link(say("Group space of %(name)s", name=GROUP))
    clicks.page.get_by_role("heading", name=say("Group space of %(name)s", name=GROUP)).wait_for()


def _checks(page) -> None:
    axe_check(page)
    fits_narrow_screen(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_members_talk_between_meetings_and_the_facilitator_moderates(
    page, _browser, live_server, contexts, language
):
    say = Words(language)
    _seed(language)
    sign_in(page, "ash@example.net", PASSWORD)
    ash = Clicks(page)
    ash.open_home()
    _open_space(ash, say)
    _checks(page)
    with ash.task("start a thread", budget=2):
        ash.link(say("Start a thread"))
        _checks(page)
        page.get_by_label(say("Title")).fill("Awake at 3 am")
        page.get_by_label(say("Your message")).fill("Anyone else up?\nhttps://example.org/sleep")
        ash.button(say("Start the thread"))
    page.get_by_text("Anyone else up?").wait_for()
    _checks(page)
    screenshots(page, f"space-thread-{language}")

    bo = _person(_browser, live_server, contexts, "bo@example.net", language)
    _open_space(bo, say)
    with bo.task("reply to a thread", budget=2):
        bo.link("Awake at 3 am")
        bo.page.get_by_label(say("Your message")).fill("Me too, most nights.")
        bo.button(say("Post reply"))
    bo.page.get_by_text("Me too, most nights.").wait_for()

    with ash.task("see the reply from the bell", budget=3):
        ash.link(say("All threads"))  # any page: the menu's bell counts the reply
        ash.link(
            say.plural(
                "Notifications, %(counter)s unread",
                "Notifications, %(counter)s unread",
                1,
                counter=1,
            ),
            exact=True,
        )
        _checks(page)
        ash.link(say("New reply in “%(title)s”", title="Awake at 3 am"))
    page.get_by_text("Me too, most nights.").wait_for()

    with bo.task("share something hard", budget=1):
        bo.page.get_by_label(say("Your message")).fill("Honestly, some nights I want to die.")
        bo.button(say("Post reply"))
    bo.page.get_by_role("heading", name=say("It sounds like things are hard right now")).wait_for()
    _checks(bo.page)
    screenshots(bo.page, f"space-care-{language}")

    report_bo = f"{say('Report')} {say('the post by %(name)s', name='Bo')}"
    cy = _person(_browser, live_server, contexts, "cy@example.net", language)
    for reporter in (ash, cy):
        if reporter is not ash:
            _open_space(reporter, say)
            reporter.link("Awake at 3 am")
        else:
            ash.link(say("All threads"))
            ash.link("Awake at 3 am")
        with reporter.task("report a post", budget=2):
            reporter.link(report_bo)
            _checks(reporter.page)
            reporter.page.get_by_label(say("It is disrespectful or hurtful")).check()
            reporter.button(say("Send to the facilitators"))
        reporter.page.get_by_text(
            say(
                "Thank you. The facilitators will look at it. "
                "The author won't know who reported it."
            )
        ).wait_for()

    ash.link(say("All threads"))
    ash.link("Awake at 3 am")
    assert page.get_by_text("Me too, most nights.").count() == 0  # hidden pending review

    frankie = _person(_browser, live_server, contexts, "frankie@example.net", language)
    _open_space(frankie, say)
    with frankie.task("open the moderation queue", budget=1):
        frankie.link(say("Moderation"))
    frankie.page.get_by_text("Me too, most nights.").wait_for()
    _checks(frankie.page)
    with frankie.task("see the urgent follow-up", budget=1):
        frankie.link(say("Follow-ups"))
    frankie.page.get_by_text(say("Urgent")).first.wait_for()
    with frankie.task("restore the reported post", budget=3):
        frankie.page.go_back()
        frankie.button(say("Restore"))
    frankie.page.get_by_text(say("Restored: the post is shown again.")).wait_for()

    ash.link(say("All threads"))
    ash.link("Awake at 3 am")
    page.get_by_text("Me too, most nights.").wait_for()
