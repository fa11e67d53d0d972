"""Every page of the group space, as the people who see it, through the accessibility
crawl's own page check: axe (WCAG A/AA and best practices) at desktop and phone width with
no critical, serious or moderate violation, no sideways scrolling at 320 px or with 200 %
text. The crawl itself reaches these pages from home; this checks them in their fuller
states (a pseudonym, a held post, a report, a suspension) in a minute."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from space.models import OrganisationSpacePolicy, Participant, Post, Report
from tests.factories import PASSWORD
from tests.fixtures.browser import sign_in
from tests.journeys.test_axe_crawl import FAILING, check_page
from tests.world import build_world

pytestmark = [pytest.mark.browser]


def _states(world) -> None:
    """A held post with watched words, a reported one, a suspended member, a pseudonym."""
    from django.utils import timezone

    OrganisationSpacePolicy.objects.create(organisation=world.organisation, on_match="hold")
    thread = world.space_thread
    Post.objects.create(
        thread=thread,
        author=world.users["member"],
        pseudonym="Grey Owl",
        body="Some nights I want to die. https://example.org/" + "a" * 120,
        status=Post.Status.HELD,
        watched_match=True,
    )
    Report.objects.create(post=world.space_reply, reporter=world.users["member"], reason="other")
    Participant.objects.filter(pk=world.space_participant.pk).update(
        suspended_until=timezone.now() + datetime.timedelta(days=1), pseudonym="Grey Owl"
    )


def _pages(world, role: str) -> list[str]:
    slug, thread, post = world.group.slug, world.space_thread.pk, world.space_post.pk
    reader = [
        reverse("space:board", args=[slug]),
        reverse("space:thread", args=[slug, thread]),
        reverse("space:thread_new", args=[slug]),
        reverse("space:care", args=[slug]) + f"?thread={thread}",
        reverse("space:participant", args=[slug]),
    ]
    if role == "member":
        return [
            *reader,
            reverse("space:post_edit", args=[slug, post]),
            reverse("space:post_report", args=[slug, world.space_reply.pk]),
        ]
    if role == "facilitator":
        return [
            *reader,
            reverse("space:moderation", args=[slug]),
            reverse("space:group_settings", args=[slug]),
            reverse("space:suspend", args=[slug, post]),
        ]
    return [reverse("space:watched_words", args=[world.organisation.slug])]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", ["member", "facilitator", "organizer"])
def test_space_pages_pass_the_crawls_page_check(page, role):
    world = build_world()
    _states(world)
    sign_in(page, world.users[role].email, PASSWORD)
    found = {"pages": [], "violations": [], "overflow": [], "errors": [], "titles": []}
    for path in _pages(world, role):
        response = page.goto(path)
        assert response.status == 200, path
        check_page(page, path, found)
    bad = [
        f"{path}: {v['id']} ({v['impact']}): {v['help']}"
        for path, v in found["violations"]
        if v["impact"] in FAILING
    ]
    assert not bad, "\n".join(bad)
    assert not found["overflow"], "\n".join(found["overflow"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_post_holding_script_is_shown_as_text_never_run(page):
    from tests.reliability.test_stored_script_browser import IMG, SCRIPT, assert_inert

    world = build_world()
    Post.objects.create(
        thread=world.space_thread, author=world.users["facilitator"], body=f"{SCRIPT} {IMG}"
    )
    sign_in(page, world.users["member"].email, PASSWORD)
    page.goto(world.space_thread.get_absolute_url())
    assert_inert(page, SCRIPT)
    assert_inert(page, IMG)
