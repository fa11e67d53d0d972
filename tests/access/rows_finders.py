"""Meeting finders: the public feeds and embeddable finder, the organizer's page."""

from tests.access import LOGIN, Row, expect, signed_in


def _org(w):
    return [w.organisation.slug]


def _nobody_sees_place_or_link(w):
    return {
        w.group.place: set(),
        w.group.online_link: set(),
        w.meeting.place: set(),
        w.meeting.online_link: set(),
    }


def _source(w):
    from finders.models import FeedSource

    source = FeedSource.objects.create(
        organisation=w.organisation, name="Solent", url="https://solent.example.org/feed.json"
    )
    return [w.organisation.slug, source.pk]


def _listed(w):
    """The world's group listed in meeting finders, so the feeds have a record to leak from."""
    w.organisation.list_in_finders = True
    w.organisation.save()
    w.group.list_in_finders = True
    w.group.save()
    return _org(w)


ROWS = [
    Row(
        "finders:feed",
        expect(200),
        private=_nobody_sees_place_or_link,
        note="public JSON: never a place, link or person",
    ),
    Row("finders:organisation_feed", expect(200), args=_listed, private=_nobody_sees_place_or_link),
    Row(
        "finders:embed",
        expect(200),
        args=_listed,
        private=_nobody_sees_place_or_link,
        note="framed by partners; rendered without the request (no cookie, no CSRF)",
    ),
    Row("finders:manage", signed_in(404, organizer=200), args=_org),
    Row(
        "finders:source_remove",
        signed_in(404, organizer=302),
        args=_source,
        method="post",
    ),
    Row(
        "meetings:rsvp_access_needs",
        expect(404, anonymous=LOGIN, member=302, on_break=302, facilitator=302, organizer=302),
        args=lambda w: [w.meeting.pk],
        method="post",
        data=lambda w: {"access_needs": "A seat near the door"},
        note="inside the group; the service refuses without an RSVP (a message, back)",
    ),
]
