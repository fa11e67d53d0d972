"""Reads about organisations, groups and who holds which role (the package's modules hold
the reads about agreements, the roster of a group and the home page).

A person's memberships, organisation roles and agreement statuses are loaded once per
request (from the row cache, or three queries) and kept on the user object, so permission
checks on a page with many groups cost no extra queries. Services that change roles call
`forget_roles(user)`.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, fields

from django.conf import settings
from django.db.models import F, Func, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import hooks
from groups.models import AccessFeature, Membership, Organisation, OrganisationRole, PeerGroup
from peersupport import cache

ACTIVE = Membership.Status.ACTIVE
FACILITATOR = Membership.Role.FACILITATOR


def _person_part(user, part: str, load):
    """One part of what the permission layer knows about this person ("memberships",
    "roles", "agreements"), kept on the user object for the rest of the request.

    Across requests all three come together from the cache (`peersupport.cache`: one
    round trip), renewed whenever one of the person's memberships, roles or signatures,
    or one of their groups or its agreement versions changes (`peersupport.cache_scopes`
    renews the person's scope for each of these),
    so a change shows on the very next request. Without the row cache each part is one
    query, made only when a page asks for it.
    """
    parts = getattr(user, "_ps_rows", None)
    if parts is None:
        parts = user._ps_rows = {}
    if part not in parts:
        if cache.enabled():
            scopes = (f"person:{user.pk}",)
            parts.update(cache.fetch(person_entry_key(user.pk), scopes, lambda: _load_all(user)))
        else:
            parts[part] = load(user)
    return parts[part]


def person_entry_key(user_id: int) -> str:
    return f"person:{user_id}"


def person_entry(user_id: int) -> tuple[str, tuple[str, ...]]:
    """What the permission layer knows about a person: the entry and its scope, read
    ahead with their account (`peersupport.cache.PERSON_ENTRIES`)."""
    return person_entry_key(user_id), (f"person:{user_id}",)


def _load_all(user) -> dict:
    memberships = _load_memberships(user)
    return {
        "memberships": memberships,
        "roles": _load_roles(user),
        "agreements": _load_agreements(user, memberships),
    }


def _load_memberships(user) -> dict[int, Membership]:
    # With the group: the navigation's list of groups and the home page read them from
    # here instead of a second query (a person is in a handful of groups). Intake answers
    # stay in the database: nothing that reads this needs them.
    rows = Membership.objects.filter(user=user).select_related("group").defer("intake_answers")
    return {m.group_id: m for m in rows}


def _load_roles(user) -> set[tuple[int, str]]:
    return set(OrganisationRole.objects.filter(user=user).values_list("organisation_id", "role"))


def _load_agreements(user, memberships=None) -> dict[int, tuple[int, int | None]]:
    # Imported here: the agreements selectors build on this module.
    from groups.selectors.agreements import agreement_status_query

    if memberships is None:
        memberships = memberships_of(user)
    return agreement_status_query(user, list(memberships))


def memberships_of(user) -> dict[int, Membership]:
    """{group id: Membership} for every group this person has ever been in."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return _person_part(user, "memberships", _load_memberships)


def organisation_roles_of(user) -> set[tuple[int, str]]:
    """{(organisation id, role)} for this person."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return _person_part(user, "roles", _load_roles)


def agreement_statuses_of(user) -> dict[int, tuple[int, int | None]]:
    """{group id: (current version, latest signed)} for the person's groups with one."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return _person_part(user, "agreements", _load_agreements)


def forget_roles(user) -> None:
    """Forget this request's copy (the row cache was renewed by the save itself)."""
    if hasattr(user, "_ps_rows"):
        del user._ps_rows


def membership(user, group: PeerGroup) -> Membership | None:
    return memberships_of(user).get(group.pk)


def is_organizer(user, organisation: Organisation | int) -> bool:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return (org_id, OrganisationRole.Role.ORGANIZER) in organisation_roles_of(user)


def is_facilitator(user, group: PeerGroup) -> bool:
    found = membership(user, group)
    return bool(found and found.is_facilitator)


def takes_part(user, group: PeerGroup) -> bool:
    """Inside the group: an active member or facilitator, or a member on a break."""
    found = membership(user, group)
    return bool(found and found.is_taking_part)


def is_active_member(user, group: PeerGroup) -> bool:
    """Active members and facilitators: those who take part in meetings."""
    found = membership(user, group)
    return bool(found and found.status == ACTIVE)


def runs_group(user, group: PeerGroup) -> bool:
    """Facilitators of the group and organizers of its organisation."""
    return is_facilitator(user, group) or is_organizer(user, group.organisation_id)


def can_view_group(user, group: PeerGroup) -> bool:
    """Listed and unlisted groups are public; private ones only to people inside them."""
    if group.visibility != PeerGroup.Visibility.PRIVATE:
        return True
    found = membership(user, group)
    inside = found and (found.is_taking_part or found.status == Membership.Status.PENDING)
    return bool(inside or runs_group(user, group) or getattr(user, "is_staff", False))


def organisations_run_by(user) -> QuerySet[Organisation]:
    ids = [
        org for org, role in organisation_roles_of(user) if role == OrganisationRole.Role.ORGANIZER
    ]
    return Organisation.objects.filter(pk__in=ids)


def can_see_private_location(user, group: PeerGroup) -> bool:
    """The group's place and online link: the one rule every page and email asks.

    Facilitators and organizers always; members only while active and after signing the
    group's current agreement (a group with no published agreement blocks nobody).
    """
    if runs_group(user, group):
        return True
    # Imported here: the agreements selectors build on this module.
    from groups.selectors.agreements import has_signed_current_agreement

    return is_active_member(user, group) and has_signed_current_agreement(user, group)


# --- Directory, landing page and navigation -------------------------
DIRECTORY_PAGE_SIZE = 20
# Time-of-day buckets of the directory filter, in the group's own local time.
TIMES_OF_DAY = {
    "morning": (None, datetime.time(12, 0)),
    "afternoon": (datetime.time(12, 0), datetime.time(17, 0)),
    "evening": (datetime.time(17, 0), None),
}


@dataclass(frozen=True)
class DirectoryFilters:
    """The directory's GET parameters after cleaning: unknown values are simply dropped."""

    q: str = ""
    topic: str = ""
    format: str = ""
    where: str = ""  # a city, or "online"
    day: int | None = None
    time: str = ""
    language: str = ""
    access: tuple[str, ...] = ()  # every one of these access features

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) not in ("", None) for f in fields(self))


def directory_filters_from(params) -> DirectoryFilters:
    """Read the filters from a QueryDict; anything invalid is ignored, never an error."""

    def text(name: str, limit: int = 100) -> str:
        value = params.get(name, "")
        return value.strip()[:limit] if isinstance(value, str) else ""

    day = text("day", 2)
    languages = {code for code, _name in settings.SPOKEN_LANGUAGES}
    asked = params.getlist("access") if hasattr(params, "getlist") else []
    access = tuple(sorted({a for a in asked[:10] if a in AccessFeature.values}))
    return DirectoryFilters(
        q=text("q"),
        topic=text("topic", 40).lower(),
        format=text("format") if text("format") in PeerGroup.Format.values else "",
        where=text("where", 80),
        day=int(day) if day.isdigit() and int(day) in PeerGroup.Weekday.values else None,
        time=text("time") if text("time") in TIMES_OF_DAY else "",
        language=text("language") if text("language") in languages else "",
        access=access,
    )


def group_directory_search(*, filters: DirectoryFilters) -> QuerySet[PeerGroup]:
    """Listed, active groups matching every filter, with what a directory card shows."""
    groups = with_next_meeting_at(PeerGroup.objects.listed().select_related("organisation"))
    if filters.q:
        words = filters.q.split()[:8]
        for word in words:
            groups = groups.filter(
                Q(name__icontains=word)
                | Q(purpose__icontains=word)
                | Q(audience__icontains=word)
                | Q(topics__contains=[word.lower()])
            )
    if filters.topic:
        groups = groups.filter(topics__contains=[filters.topic])
    if filters.format:
        groups = groups.filter(format=filters.format)
    if filters.where == "online":
        groups = groups.filter(format__in=[PeerGroup.Format.ONLINE, PeerGroup.Format.HYBRID])
    elif filters.where:
        groups = groups.filter(city__iexact=filters.where)
    if filters.day is not None:
        groups = groups.filter(meeting_day=filters.day)
    if filters.time:
        start, end = TIMES_OF_DAY[filters.time]
        if start:
            groups = groups.filter(meeting_time__gte=start)
        if end:
            groups = groups.filter(meeting_time__lt=end)
    if filters.language:
        groups = groups.filter(
            Q(language=filters.language) | Q(other_languages__contains=[filters.language])
        )
    if filters.access:
        groups = groups.filter(access_features__contains=list(filters.access))
    return groups.order_by("name", "pk")


def directory_choices() -> dict[str, list[str]]:
    """Cities and topics that listed groups use, for the directory's filter menus."""
    listed = PeerGroup.objects.listed()
    cities: dict[str, str] = {}
    for city in listed.exclude(city="").order_by().values_list("city", flat=True).distinct():
        cities.setdefault(city.casefold(), city)  # "leeds" and "Leeds" are one town
    topics = (
        listed.annotate(topic=Func(F("topics"), function="unnest"))
        .values_list("topic", flat=True)
        .order_by("topic")
        .distinct()
    )
    return {"cities": sorted(cities.values(), key=str.casefold), "topics": list(topics)}


def with_next_meeting_at(groups: QuerySet[PeerGroup]) -> QuerySet[PeerGroup]:
    """Annotate `next_meeting_at`: each group's next scheduled Meeting (no query per group),
    as the meetings app reads it (`groups.hooks`)."""
    return hooks.next_meeting_annotate(groups)


def group_next_meeting(group: PeerGroup, *, now: datetime.datetime | None = None):
    """The next meeting as an aware datetime, or None when nothing is known.

    The group's next scheduled Meeting row wins (read from `next_meeting_at` when the
    queryset was annotated by `with_next_meeting_at`, else one query). Without one, the
    next usual day and time, computed in the group's own zone so daylight-saving changes
    keep the local time (it ignores the frequency: the next usual weekday).
    """
    if hasattr(group, "next_meeting_at"):
        scheduled = group.next_meeting_at
    elif group.pk is None:
        scheduled = None
    else:
        scheduled = hooks.next_meeting_start(group, now=now)
    if scheduled is not None:
        return scheduled
    if group.meeting_day is None or group.meeting_time is None:
        return None
    try:
        zone = zoneinfo.ZoneInfo(group.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = datetime.UTC
    local_now = (now or timezone.now()).astimezone(zone)
    days_ahead = (group.meeting_day - local_now.weekday()) % 7
    day = local_now.date() + datetime.timedelta(days=days_ahead)
    start = datetime.datetime.combine(day, group.meeting_time, tzinfo=zone)
    if start <= local_now:
        start = datetime.datetime.combine(
            day + datetime.timedelta(days=7), group.meeting_time, tzinfo=zone
        )
    return start


def current_memberships_of(user) -> list[Membership]:
    """A person's groups for their home page: active, on a break or waiting."""
    if not getattr(user, "is_authenticated", False):
        return []
    # From the per-request memberships (loaded with their groups): no query of its own.
    # Sorted as people read a list, whatever the database's collation: case set aside.
    return sorted(
        (m for m in memberships_of(user).values() if m.is_taking_part or m.is_pending),
        key=lambda m: (m.group.name.casefold(), m.group_id),
    )


def runs_any_group(user) -> bool:
    """Facilitators of any group and organizers of any organisation: they see "Organise"
    and the meetings dashboard. From the per-request roles: no query after the first."""
    if not getattr(user, "is_authenticated", False):
        return False
    if any(m.is_facilitator for m in memberships_of(user).values()):
        return True
    return any(role == OrganisationRole.Role.ORGANIZER for _o, role in organisation_roles_of(user))


def groups_run_by(user) -> QuerySet[PeerGroup]:
    """Every group the person may manage: ones they facilitate and their organisations'."""
    facilitated = [gid for gid, m in memberships_of(user).items() if m.is_facilitator]
    org_ids = [
        o for o, role in organisation_roles_of(user) if role == OrganisationRole.Role.ORGANIZER
    ]
    return (
        PeerGroup.objects.filter(Q(pk__in=facilitated) | Q(organisation_id__in=org_ids))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


@dataclass(frozen=True)
class JoinState:
    """What a group's landing page offers this viewer: a join button, or a notice instead."""

    button: str = ""  # the button's text; empty: no button
    notice: str = ""
    is_inside: bool = False  # active, on a break or waiting: link to their own page instead


def group_join_state(user, group: PeerGroup) -> JoinState:
    """The join button's text follows the join policy; members and closed groups get none."""
    if group.status == PeerGroup.Status.PAUSED:
        return JoinState(notice=_("This group is taking a pause and is not meeting just now."))
    if group.status == PeerGroup.Status.ARCHIVED:
        return JoinState(notice=_("This group no longer meets."))
    found = membership(user, group)
    status = found.status if found else None
    if status == Membership.Status.PENDING:
        return JoinState(
            notice=_("Your request to join is waiting for a facilitator."), is_inside=True
        )
    if found is not None and found.is_taking_part:
        return JoinState(notice=_("You are part of this group."), is_inside=True)
    if group.join_policy == PeerGroup.JoinPolicy.INVITATION:
        return JoinState(
            notice=_("This group is by invitation only. A facilitator can send you a link.")
        )
    if group_is_full(group):
        return JoinState(
            notice=_("This group is full just now. Please look again later, or find another group.")
        )
    if group.join_policy == PeerGroup.JoinPolicy.OPEN:
        return JoinState(button=_("Join this group"))
    return JoinState(button=_("Ask to join"))


def group_is_full(group: PeerGroup) -> bool:
    """True when the group's ordinary members taking part (active or on a break) fill its
    most-members limit. Facilitators take no member's place. The landing page's join
    button and the join and approval services all ask this one rule."""
    if not group.max_members:
        return False
    members = group.memberships.taking_part().filter(role=Membership.Role.MEMBER)
    return members.count() >= group.max_members
