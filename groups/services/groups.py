"""Writes about peer groups: creating and editing them."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from groups.models import Organisation, PeerGroup
from groups.services import GroupsError

# What the group says about itself on its public page, in the order the group form asks.
ABOUT_FIELDS = [
    "name",
    "purpose",
    "objectives",
    "audience",
    "topics",
    "how_meetings_run",
    "ground_rules_summary",
]
# Fields a facilitator or organizer may change through the group form.
EDITABLE_FIELDS = [
    *ABOUT_FIELDS,
    "format",
    "city",
    "place",
    "online_link",
    "frequency",
    "meeting_day",
    "meeting_time",
    "duration_minutes",
    "capacity",
    "max_members",
    "reveal_location_hours_before",
    "reveal_location_to",
    "language",
    "other_languages",
    "access_features",
    "list_in_finders",
    "address_precision",
    "street_address",
    "time_zone",
    "visibility",
    "join_policy",
    "intake_questions",
    "status",
]


# Addresses our own pages use (/orgs/new/), never given to an organisation or group.
RESERVED_SLUGS = {"new", "edit"}


def unique_slug(model, name: str, *, max_length: int = 80, fallback: str = "group") -> str:
    """A web address made from `name`, with -2, -3… added until no row uses it."""
    base = (slugify(name) or fallback)[: max_length - 6].strip("-") or fallback
    slug, n = base, 1
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def topics_normalise(raw: str | list[str]) -> list[str]:
    """ "Grief, PTSD ,grief" -> ["grief", "ptsd"]: lowercase, trimmed, no repeats, in order."""
    items = raw.split(",") if isinstance(raw, str) else raw
    seen: list[str] = []
    for item in items:
        tag = " ".join(item.split()).lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


@transaction.atomic
def group_create(*, organisation: Organisation, data: dict[str, Any], actor) -> PeerGroup:
    """A new group in `organisation`; its web address is made from the name."""
    values = {key: data[key] for key in EDITABLE_FIELDS if key in data}
    values["topics"] = topics_normalise(values.get("topics", []))
    for _attempt in range(3):
        slug = unique_slug(PeerGroup, values.get("name", ""))
        try:
            with transaction.atomic():
                return PeerGroup.objects.create(organisation=organisation, slug=slug, **values)
        except IntegrityError:
            continue  # someone took the same address a moment ago: pick the next one
    raise GroupsError(_("We could not save the group just now. Please try again."))


@transaction.atomic
def group_update(*, group: PeerGroup, data: dict[str, Any]) -> PeerGroup:
    """Save the form's fields; the web address stays the same so shared links keep working."""
    for key in EDITABLE_FIELDS:
        if key in data:
            setattr(group, key, data[key])
    group.topics = topics_normalise(group.topics)
    group.save()
    return group
