"""A real person's first minute, in Chromium: sign in as the demo member, page passes axe."""

import pytest
from django.core.management import call_command

from members.demo import DEMO_PASSWORD
from tests.fixtures.browser import axe_check, sign_in

pytestmark = pytest.mark.browser


def test_demo_member_signs_in_and_the_home_page_is_accessible(page, transactional_db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto("/")
    axe_check(page)
    sign_in(page, "member@example.org", DEMO_PASSWORD)
    page.get_by_role("heading", name="Welcome, Maya").wait_for()
    axe_check(page)
    page.get_by_role("link", name="Crisis resources").first.click()
    page.get_by_role("heading", name="Crisis resources", level=1).wait_for()
    axe_check(page)


def test_sign_in_page_is_accessible_and_explains_a_wrong_password(page, transactional_db):
    page.goto("/accounts/login/")
    axe_check(page)
    sign_in(page, "nobody@example.org", "wrong-password")
    page.get_by_text("The email address and/or password you specified are not correct.").wait_for()
    axe_check(page)
