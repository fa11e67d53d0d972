"""Reads of imported feeds: the directory's nearby groups, an organisation's sources."""

from __future__ import annotations

from dataclasses import dataclass

from finders import spec
from finders.models import FeedSource
from groups.models import PeerGroup

# Nearby groups shown per source under the directory's results.
NEARBY_PER_SOURCE = 10
# The directory's day filter counts from Monday (0); the specification's from Sunday (0).
DAYS_FROM_SUNDAY = 1


@dataclass(frozen=True)
class NearbySource:
    name: str
    meetings: list[dict]
    total: int


def _matches(meeting: dict, filters) -> bool:
    if filters.q:
        text = f"{meeting['name']} {meeting.get('notes', '')}".casefold()
        if not all(word.casefold() in text for word in filters.q.split()[:8]):
            return False
    if filters.day is not None and (filters.day + DAYS_FROM_SUNDAY) % 7 not in meeting["days"]:
        return False
    if filters.language:
        code = spec.LANGUAGE_CODES.get(filters.language)
        if code not in meeting["types"]:
            return False
    for feature in filters.access:
        if spec.ACCESS_CODES.get(feature) not in meeting["types"]:
            return False
    if filters.where == "online":
        return meeting["online"]
    if filters.where:
        return filters.where.casefold() in meeting["address"].casefold()
    return True


def day_name(day: int) -> str:
    """A day as the specification counts (Sunday 0), named in the reader's language."""
    return str(PeerGroup.Weekday((day - DAYS_FROM_SUNDAY) % 7).label)


def when(meeting: dict) -> str:
    """ "Tuesday 19:00 (Europe/London)": the days, the start time and its zone."""
    parts = [", ".join(day_name(d) for d in meeting.get("days", []))]
    parts.append(meeting.get("time", ""))
    if meeting.get("timezone") and meeting.get("time"):
        parts.append(f"({meeting['timezone']})")
    return " ".join(p for p in parts if p)


def _shown(meeting: dict) -> dict:
    return {**meeting, "when": when(meeting)}


def nearby_for(filters) -> dict | None:
    """The directory's section: each feed's meetings matching the filters (a feed two
    organisations read shows once). None when no feed has any."""
    sources, seen = [], set()
    for source in FeedSource.objects.filter(meeting_count__gt=0).only("name", "url", "meetings"):
        if source.url in seen:
            continue
        seen.add(source.url)
        found = [m for m in source.meetings if _matches(m, filters)]
        if found:
            shown = [_shown(m) for m in found[:NEARBY_PER_SOURCE]]
            sources.append(NearbySource(source.name, shown, len(found)))
    return {"nearby": sources} if sources else None


def sources_of(organisation) -> list[FeedSource]:
    return list(organisation.finder_sources.defer("meetings").order_by("name", "pk"))
