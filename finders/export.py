"""Our groups as Meeting Guide records, privacy-graded.

What a record may hold is decided here and nowhere else:
- only groups `PeerGroup.objects.in_meeting_finders()` returns (listed, active, opted in by
  the group and its organisation): unlisted, private, paused and not-opted-in groups never;
- never the meeting place, never `conference_url` or `conference_phone` (a group's link is
  private): the landing page, where a person asks to join, is the way in;
- the address only as precise as the group chose: its town, or the public street address
  it gave for this purpose (`approximate` says which);
- no person at all: no facilitator, no contact, so no last name can ever appear.
Weekly and every-two-weeks groups carry their usual day and time; other schedules are
"by appointment" in the specification's terms and carry their next dates in `notes`.
"""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from finders import spec
from finders.selectors import day_name
from groups.models import AddressPrecision, PeerGroup
from sessions.models import Meeting

LISTED_FREQUENCIES = (PeerGroup.Frequency.WEEKLY, PeerGroup.Frequency.BIWEEKLY)
NEXT_DATES = 3
AHEAD = datetime.timedelta(days=120)
# Topics that map to a type code of the specification.
TOPIC_CODES = {"newcomers": "BE", "newcomer-friendly": "BE", "men": "M", "women": "W"}


def groups_for_feed(organisation=None):
    groups = PeerGroup.objects.in_meeting_finders().select_related("organisation")
    if organisation is not None:
        groups = groups.filter(organisation=organisation)
    # Only what a record is made of: the place and link are never even loaded.
    return groups.defer("place", "online_link", "intake_questions").order_by("name", "pk")


def listed_in_feed(organisation) -> list[PeerGroup]:
    """The organisation's groups its feed lists, by name (for its organizers' page)."""
    groups = PeerGroup.objects.in_meeting_finders().filter(organisation=organisation)
    return list(groups.only("name", "slug").order_by("name", "pk"))


def next_meetings(groups) -> dict[int, list[Meeting]]:
    """The next few scheduled meetings of each group, in one query."""
    now = timezone.now()
    found: dict[int, list[Meeting]] = defaultdict(list)
    meetings = (
        Meeting.objects.open(now)
        .filter(group__in=[g.pk for g in groups], starts_at__lt=now + AHEAD)
        .only("group_id", "starts_at", "ends_at", "time_zone")
        .order_by("starts_at")
    )
    for meeting in meetings:
        if len(found[meeting.group_id]) < NEXT_DATES:
            found[meeting.group_id].append(meeting)
    return found


def feed_slug(group: PeerGroup) -> str:
    """At most 64 characters and unique: the id leads, so no two groups can share one."""
    return f"{group.pk}-{group.slug}"[: spec.MAX_SLUG].rstrip("-")


def _zone(group: PeerGroup) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(group.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _schedule(group: PeerGroup, upcoming: list[Meeting]) -> dict:
    """day, time, end_time: the usual ones, else those of the next meeting, else none."""
    if group.frequency not in LISTED_FREQUENCIES:
        return {}
    if group.meeting_day is not None and group.meeting_time is not None:
        weekday, start = group.meeting_day, group.meeting_time
        length = datetime.timedelta(minutes=group.duration_minutes)
    elif upcoming:
        local = upcoming[0].starts_at.astimezone(_zone(group))
        weekday, start = local.weekday(), local.time()
        length = upcoming[0].ends_at - upcoming[0].starts_at
    else:
        return {}
    end = (datetime.datetime.combine(datetime.date(2000, 1, 1), start) + length).time()
    # Our weeks start on Monday (0); the specification's on Sunday (0).
    return {"day": (weekday + 1) % 7, "time": f"{start:%H:%M}", "end_time": f"{end:%H:%M}"}


def _types(group: PeerGroup) -> list[str]:
    codes = ["O" if group.join_policy == PeerGroup.JoinPolicy.OPEN else "C"]
    codes += [TOPIC_CODES[t] for t in group.topics if t in TOPIC_CODES]
    codes += [spec.LANGUAGE_CODES[c] for c in group.languages if c in spec.LANGUAGE_CODES]
    codes += [spec.ACCESS_CODES[a] for a in group.access_features if a in spec.ACCESS_CODES]
    return sorted(set(codes))


def _place(group: PeerGroup) -> dict:
    """formatted_address and approximate, as precise as the group chose (never its place)."""
    street = group.street_address.strip()
    in_person = group.format != PeerGroup.Format.ONLINE
    if in_person and group.address_precision == AddressPrecision.STREET and street:
        city = group.city.strip()
        address = (
            street if not city or city.casefold() in street.casefold() else f"{street}, {city}"
        )
        return {"formatted_address": address, "approximate": "no"}
    if group.city.strip():
        return {"formatted_address": group.city.strip(), "approximate": "yes"}
    return {"approximate": "yes"} if not in_person else {}


def _notes(group: PeerGroup, upcoming: list[Meeting]) -> str:
    with translation.override(group.language):
        lines = [spec.plain_text(group.purpose, 600)]
        if group.frequency != PeerGroup.Frequency.WEEKLY:
            lines.append(_("Meets: %(frequency)s.") % {"frequency": group.get_frequency_display()})
            if upcoming:
                zone = _zone(group)
                dates = [
                    formats.date_format(m.starts_at.astimezone(zone), "DATE_FORMAT")
                    + f" {m.starts_at.astimezone(zone):%H:%M}"
                    for m in upcoming
                ]
                lines.append(_("Next meetings: %(dates)s.") % {"dates": ", ".join(dates)})
        lines.append(_("Ask to join on the group's page; the place and link are shared there."))
    return "\n".join(line for line in lines if line)


def group_record(group: PeerGroup, upcoming: list[Meeting]) -> dict:
    organisation = group.organisation
    record = {
        "name": group.name[: spec.MAX_NAME],
        "slug": feed_slug(group),
        **_schedule(group, upcoming),
        "timezone": group.time_zone,
        "types": _types(group),
        "notes": _notes(group, upcoming),
        "updated": group.updated_at.astimezone(datetime.UTC).strftime(spec.UPDATED_FORMAT),
        "url": f"{settings.SITE_URL}{group.get_absolute_url()}",
        **_place(group),
        "entity": organisation.name,
    }
    if organisation.website.startswith("https://"):
        record["entity_website_url"] = organisation.website
    return record


def feed_records(organisation=None) -> list[dict]:
    """The feed's records: every listed, opted-in group (of `organisation`, if given)."""
    groups = list(groups_for_feed(organisation))
    upcoming = next_meetings(groups)
    return [group_record(group, upcoming.get(group.pk, [])) for group in groups]


def embed_rows(body: bytes) -> list[dict]:
    """The embedded finder's rows, read from the published feed itself: it can show
    nothing the feed does not."""
    rows = []
    for record in json.loads(body):
        days = [record["day"]] if "day" in record else []
        when = " ".join([", ".join(day_name(d) for d in days), record.get("time", "")]).strip()
        where = record.get("formatted_address", "")
        if record.get("approximate") == "yes" and not where:
            where = _("Online")
        rows.append({"name": record["name"], "url": record["url"], "when": when, "where": where})
    return rows
