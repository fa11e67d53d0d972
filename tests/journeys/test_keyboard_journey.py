"""The member's main steps with the keyboard alone: Tab, Shift+Tab, Enter, Space, typing.

After the home page is opened, every page is reached with the keyboard; answering the
next meeting from home takes at most `RSVP_FROM_HOME` key presses and leaves focus on
the outcome message.

No click and no `fill`: every control is reached by tabbing, so the test also checks that
each focused element shows where focus is, that the skip link moves focus to the content,
that no page traps focus, and that a form error is announced (role=alert and
aria-describedby on the field).

The journey runs in each language the site speaks: the browser asks for it, and every
name it tabs to, waits for or reads comes from that language's catalogue (`Words`).
"""

from __future__ import annotations

import pytest

from groups.models import Signature
from sessions.models import Rsvp
from tests.factories import (
    PASSWORD,
    MeetingFactory,
    MembershipFactory,
    PeerGroupFactory,
    UserFactory,
    publish_agreement,
)
from tests.journeys.conftest import report
from tests.journeys.support import LANGUAGES, Words, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.journey]

MAX_TABS = 80  # more than any page of ours has focusable elements
RSVP_FROM_HOME = 25  # key presses from the home page to "You're going"

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : '',
    tag: el.tagName.toLowerCase(), id: el.id,
    visible: outline || style.boxShadow !== 'none',
  };
}"""


def tab_to(page, name: str, *, backwards: bool = False) -> dict:
    """Press Tab until the focused element's text or label starts with `name`.

    Every element passed on the way must show a visible focus indicator.
    """
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        assert focused["visible"], f"no visible focus on {focused} at {page.url}"
        if focused["text"].startswith(name) or focused["label"].startswith(name):
            return {**focused, "presses": presses}
    raise AssertionError(f"{name!r} is not reachable with Tab on {page.url}")


def assert_no_keyboard_trap(page) -> None:
    """Tabbing forward from the top leaves the page (focus returns to the body) in time."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            return
        seen.append(focused["text"][:30] or focused["tag"])
    raise AssertionError(f"focus never left {page.url}: {seen[-10:]}")


def follow(page, name: str) -> None:
    """Tab to a link or button called `name` and press Enter; wait for the next page."""
    tab_to(page, name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, name: str, text: str) -> None:
    tab_to(page, name)
    page.keyboard.type(text)


def _seed():
    group = PeerGroupFactory(name="Night Shift Circle", format="in_person", online_link="")
    facilitator = UserFactory(display_name="Frankie")
    MembershipFactory(group=group, user=facilitator, role="facilitator")
    member = UserFactory(email="robin@example.net", display_name="Robin")
    MembershipFactory(group=group, user=member)
    publish_agreement(group, by=facilitator)
    return group, member, MeetingFactory(group=group, topic="Sleep after night shifts")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_signs_in_signs_the_agreement_and_rsvps_with_the_keyboard_only(page, language):
    say = Words(language)
    group, member, meeting = _seed()
    page.goto("/")
    assert page.evaluate("document.documentElement.lang") == language
    skip = tab_to(page, say("Skip to main content"))
    assert skip["id"] == "" and skip["tag"] == "a"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert_no_keyboard_trap(page)

    follow(page, say("Sign in"))
    page.get_by_role("heading", name=say("Sign In")).wait_for()
    type_into(page, say("Email"), member.email)
    type_into(page, say("Password"), PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    welcome = say("Welcome, %(name)s", name="Robin")
    page.get_by_role("heading", name=welcome).wait_for()

    follow(page, say("My groups"))
    follow(page, "Night Shift Circle")
    page.get_by_role("heading", name=say("Please sign your group's agreement")).wait_for()
    follow(page, say("Read and sign the agreement"))
    page.get_by_role("button", name=say("Sign the agreement")).wait_for()
    assert_no_keyboard_trap(page)

    # A name that is not the member's: the error is announced and tied to the field.
    have_read = say("I have read this agreement and I agree to keep it.")
    full_name = say("Type your full name to sign")
    tab_to(page, have_read)
    page.keyboard.press("Space")
    type_into(page, full_name, "Somebody Else")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Announced: either in an alert, or described on the field itself.
    mismatch = say(
        "The name you typed does not match the full name on your profile. "
        "Please type it as it appears there, or update your profile first."
    )
    alert = page.get_by_role("alert").filter(has_text=mismatch)
    name_field = page.get_by_label(full_name)
    described_by = (name_field.get_attribute("aria-describedby") or "").split()
    described = " ".join(page.locator(f"#{ref}").inner_text() for ref in described_by)
    assert alert.count() == 1 or mismatch in described
    screenshots(page, f"keyboard-form-error-{language}")

    if not page.get_by_label(have_read).is_checked():
        tab_to(page, have_read)
        page.keyboard.press("Space")
    tab_to(page, full_name)
    page.keyboard.press("Control+A")
    page.keyboard.type(member.full_name)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text(
        say("Thank you for signing. You can now see the meeting place and link.")
    ).wait_for()
    assert Signature.objects.filter(member=member, group=group).exists()

    # From the home page, the next meeting's one-click answer, within the key budget.
    follow(page, say("Home"))
    page.get_by_role("heading", name=welcome).wait_for()
    presses = tab_to(page, say("I'm going"))["presses"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    presses += 1
    going = say("You're going. A confirmation with a calendar invite is on its way.")
    page.get_by_text(going).first.wait_for()
    assert Rsvp.objects.get(meeting=meeting, user=member).status == "going"
    report(f"keys: RSVP from home: {presses} of {RSVP_FROM_HOME}")
    assert presses <= RSVP_FROM_HOME, f"{presses} key presses to RSVP from home"
    focused = page.evaluate(FOCUSED)
    assert focused is not None and going in focused["text"], focused
    assert_no_keyboard_trap(page)
