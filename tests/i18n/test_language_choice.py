"""Who decides the language: the person, then their browser, then the organisation.

Written as people meet it (a visitor's browser, the footer's switcher, the profile, an
email) and as an attacker would try it: the shared page cache must never hand a page
drawn in one language to a visitor asking for another, and the switcher must not send
anybody off-site.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory, PeerGroupFactory, UserFactory

pytestmark = pytest.mark.django_db

SPANISH = "Recursos en caso de crisis"
FRENCH = "Ressources en cas de crise"
ENGLISH = "Crisis resources"


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_a_visitor_reads_the_language_their_browser_asks_for(client):
    response = client.get("/groups/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert _lang(response) == "es" and response["Content-Language"] == "es"
    assert SPANISH in response.content.decode()
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_a_browser_asking_for_a_language_we_lack_gets_the_organisations(client):
    organisation = OrganisationFactory(default_language="fr")
    group = PeerGroupFactory(organisation=organisation, visibility="listed")
    german = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}
    assert _lang(client.get(reverse("groups:detail", args=[group.slug]), **german)) == "fr"
    assert _lang(client.get(organisation.get_absolute_url(), **german)) == "fr"
    # A page that belongs to no organisation: the site's default.
    assert _lang(client.get("/crisis/", **german)) == settings.LANGUAGE_CODE
    # A browser that asks for a language we have wins over the organisation's.
    english = {"HTTP_ACCEPT_LANGUAGE": "en-GB"}
    assert _lang(client.get(reverse("groups:detail", args=[group.slug]), **english)) == "en"


def test_the_shared_page_cache_never_crosses_languages(client):
    """Attacker: fill the public cache in Spanish, then read the same page as others."""
    group = PeerGroupFactory(visibility="listed")
    url = reverse("groups:detail", args=[group.slug])
    for _ in range(2):  # the second request is served from the cache
        spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert SPANISH in spanish.content.decode()
    assert ENGLISH in english.content.decode() and SPANISH not in english.content.decode()
    assert FRENCH in french.content.decode() and SPANISH not in french.content.decode()


def test_a_visitor_chooses_a_language_in_the_footer(client):
    page = client.get("/groups/", HTTP_ACCEPT_LANGUAGE="en")
    assert b'name="language" value="fr" lang="fr"' in page.content
    response = client.post(reverse("language"), {"language": "fr", "next": "/groups/"})
    assert response.status_code == 302 and response["Location"] == "/groups/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    after = client.get("/groups/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang(after) == "fr"
    assert "Langue du site" in after.content.decode() or FRENCH in after.content.decode()


@pytest.mark.parametrize(
    "wanted", ["https://evil.example/", "//evil.example/groups/", "javascript:alert(1)", ""]
)
def test_the_switcher_never_sends_anybody_off_site(client, wanted):
    response = client.post(reverse("language"), {"language": "es", "next": wanted})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_language_is_refused_with_a_message_and_nothing_changes(client):
    response = client.post(reverse("language"), {"language": "xx", "next": "/groups/"}, follow=True)
    assert response.status_code == 200
    assert (
        settings.LANGUAGE_COOKIE_NAME not in response.cookies
        or not response.cookies[settings.LANGUAGE_COOKIE_NAME].value
    )
    assert "Please choose one of the languages offered." in response.content.decode()


def test_a_members_choice_is_kept_on_the_account_and_follows_them(client_for, client):
    member = UserFactory()
    client_for(member).post(reverse("language"), {"language": "es", "next": "/"})
    member.refresh_from_db()
    assert member.preferred_language == "es"
    # Another device, whose browser asks for English, no cookie: still Spanish.
    client.cookies.clear()
    client.force_login(member)
    assert _lang(client.get("/me/profile/", HTTP_ACCEPT_LANGUAGE="en")) == "es"
    # "Follow my browser" on the profile gives the choice back to the browser.
    profile = client.get("/me/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<option value=""[^>]*>Usar el idioma de mi navegador</option>', profile)


def test_profile_offers_each_language_and_following_the_browser(client_for):
    member = UserFactory(preferred_language="fr")
    client = client_for(member)
    data = {
        "display_name": member.display_name,
        "full_name": "",
        "time_zone": "Europe/Paris",
        "preferred_language": "",
    }
    response = client.post("/me/profile/", data, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.preferred_language == ""
    assert _lang(client.get("/me/profile/", HTTP_ACCEPT_LANGUAGE="es")) == "es"


def test_emails_follow_the_member_then_the_organisation(
    client_for, mailoutbox, django_capture_on_commit_callbacks
):
    from groups.services.membership import membership_decide

    organisation = OrganisationFactory(default_language="fr")
    group = PeerGroupFactory(organisation=organisation)
    no_choice = MembershipFactory(group=group, status="pending", joined_at=None)
    chose_spanish = MembershipFactory(
        group=group, status="pending", joined_at=None, user=UserFactory(preferred_language="es")
    )
    facilitator = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for membership in (no_choice, chose_spanish):
            membership_decide(membership=membership, actor=facilitator, approve=True, message="")
    by_address = {email.to[0]: email for email in mailoutbox}
    french = by_address[no_choice.user.email]
    spanish = by_address[chose_spanish.user.email]
    assert "Bonjour" in french.body and "Hola" not in french.body
    assert "Hola" in spanish.body and "Bonjour" not in spanish.body


def test_the_calendar_feed_is_written_in_its_owners_language(world, client):
    """A calendar app asks in its own language (or none): the owner's choice decides."""
    from sessions.services.calendar import calendar_feed_get_or_create

    member = world.users["member"]
    member.preferred_language = "es"
    member.discreet_mode = True  # the summary is then our words, not the group's name
    member.save()
    feed = calendar_feed_get_or_create(user=member)
    url = reverse("meetings:feed", args=[feed.token])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US").content.decode().replace("\r\n ", "")
    assert "Mis reuniones de apoyo entre pares" in body
    assert "My peer support meetings" not in body
    member.preferred_language = "en"
    member.save()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode().replace("\r\n ", "")
    assert "My peer support meetings" in english


def test_a_built_in_agenda_is_written_in_the_organisations_language():
    """Members of one group read one agenda: the organisation's language decides, not
    whoever (or whichever scheduled task) created the meeting."""
    from django.utils import translation

    from sessions.services.agenda import agenda_start_from_default
    from tests.factories import MeetingFactory

    group = PeerGroupFactory(organisation=OrganisationFactory(default_language="es"))
    meeting = MeetingFactory(group=group)
    with translation.override("fr"):
        agenda_start_from_default(meeting=meeting)
    titles = list(meeting.agenda_items.values_list("title", flat=True))
    assert "Apertura y ronda de inicio" in titles and "Pausa" in titles
    assert "Opening and check-in" not in titles


def test_the_switcher_names_each_language_in_its_own_words(client):
    """A reader who does not read Spanish must still find "English" on a Spanish page."""
    page = client.get("/crisis/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert re.search(r'lang="en"[^>]*>English<', page)
    assert re.search(r'lang="fr"[^>]*>Français<', page)
    assert "Inglés" not in page


def test_the_switcher_comes_back_to_each_pages_own_address_escaped(client):
    """The footer is drawn once per language; each page still puts in its own address."""
    assert 'name="next" value="/crisis/"' in client.get("/crisis/").content.decode()
    page = client.get('/no-such-page/"<b>/').content.decode()
    assert 'name="next" value="/no-such-page/&quot;&lt;b&gt;/"' in page
    assert "<b>" not in page
