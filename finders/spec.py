"""The Meeting Guide JSON specification (code4recovery/spec): its type codes and field rules.

One validator serves both directions: the tests check our own feed with it, and every
record of an imported feed must pass it before anything is stored (all or nothing).
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

# The specification's reserved meeting type codes.
TYPE_CODES = frozenset(
    [
        "11",
        "12x12",
        "A",
        "ABSI",
        "AF",
        "AL",
        "AL-AN",
        "AM",
        "AR",
        "ASL",
        "B",
        "BA",
        "BE",
        "BG",
        "BI",
        "BRK",
        "C",
        "CAN",
        "CF",
        "D",
        "DA",
        "DB",
        "DD",
        "DE",
        "DR",
        "EL",
        "EN",
        "FA",
        "FI",
        "FF",
        "FR",
        "G",
        "GR",
        "H",
        "HE",
        "HI",
        "HR",
        "HU",
        "IS",
        "ITA",
        "JA",
        "KA",
        "KOR",
        "L",
        "LGBTQ",
        "LIT",
        "LS",
        "LT",
        "M",
        "MED",
        "ML",
        "MT",
        "N",
        "NB",
        "NDG",
        "NE",
        "NL",
        "NO",
        "O",
        "OUT",
        "P",
        "POA",
        "POC",
        "POL",
        "POR",
        "PUN",
        "RUS",
        "S",
        "SEN",
        "SK",
        "SL",
        "SM",
        "SP",
        "ST",
        "SV",
        "T",
        "TC",
        "TH",
        "TL",
        "TR",
        "TUR",
        "UK",
        "W",
        "X",
        "XB",
        "XT",
        "Y",
    ]
)
# Our languages (settings.SPOKEN_LANGUAGES) and the codes the specification gives them.
LANGUAGE_CODES = {"en": "EN", "fr": "FR", "de": "DE", "es": "S", "nl": "NL", "pt": "POR"}
# Our access features (groups.models.AccessFeature) that have a code; the others have none.
ACCESS_CODES = {"step_free": "X", "sign_language": "ASL", "childcare": "BA"}

MAX_NAME = 255
MAX_SLUG = 64
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SLUG = re.compile(r"^[A-Za-z0-9._~-]+$")
PHONE = re.compile(r"^\+?[0-9,*#]+$")
UPDATED_FORMAT = "%Y-%m-%d %H:%M:%S"
TEXT_FIELDS = (
    "notes",
    "location",
    "location_notes",
    "group",
    "group_notes",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "region",
    "sub_region",
    "timezone",
    "conference_url_notes",
    "conference_phone_notes",
    "entity_location",
    "entity_phone",
)
URL_FIELDS = ("url", "edit_url", "feedback_url", "conference_url", "entity_url")
HTTPS_FIELDS = ("entity_logo", "entity_website_url")
ENTITY_FIELDS = (
    "entity_email",
    "entity_location",
    "entity_logo",
    "entity_phone",
    "entity_url",
    "entity_website_url",
)


def _is_day(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6


def _is_http(value: Any, *, https_only: bool = False) -> bool:
    if not isinstance(value, str):
        return False
    if value.startswith("mailto:") and not https_only:
        return True
    prefixes = ("https://",) if https_only else ("https://", "http://")
    return value.startswith(prefixes) and " " not in value and len(value) <= 2000


def _check_identity(record: dict, errors: list[str]) -> None:
    name, slug = record.get("name"), record.get("slug")
    if not isinstance(name, str) or not name.strip():
        errors.append(_("“name” is required and must be text."))
    elif len(name) > MAX_NAME:
        errors.append(_("“name” is longer than 255 characters."))
    if isinstance(slug, bool) or not isinstance(slug, (str, int)):
        errors.append(_("“slug” is required and must be text or a whole number."))
    elif isinstance(slug, str) and not (SLUG.match(slug) and len(slug) <= MAX_SLUG):
        errors.append(_("“slug” must be at most 64 letters, digits or dashes, without spaces."))


def _check_time(record: dict, errors: list[str]) -> None:
    day = record.get("day")
    if "day" in record:
        days = day if isinstance(day, list) else [day]
        if not days or not all(_is_day(d) for d in days):
            errors.append(_("“day” must be a number from 0 (Sunday) to 6 (Saturday), or a list."))
    for field in ("time", "end_time"):
        if field in record and not (isinstance(record[field], str) and TIME.match(record[field])):
            errors.append(_("“%(field)s” must be a time written HH:MM.") % {"field": field})
    if ("day" in record) != ("time" in record):
        errors.append(_("“day” and “time” go together: give both or neither."))
    if "timezone" in record:
        try:
            zoneinfo.ZoneInfo(str(record["timezone"]))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors.append(_("“timezone” is not a known time zone."))
    if "updated" in record:
        try:
            datetime.datetime.strptime(str(record["updated"]), UPDATED_FORMAT)
        except ValueError:
            errors.append(_("“updated” must be written YYYY-MM-DD HH:MM:SS."))


def _check_fields(record: dict, errors: list[str]) -> None:
    for field in TEXT_FIELDS:
        if field in record and not isinstance(record[field], str):
            errors.append(_("“%(field)s” must be text.") % {"field": field})
    for field in URL_FIELDS:
        if field in record and record[field] != "" and not _is_http(record[field]):
            errors.append(_("“%(field)s” must be a web address.") % {"field": field})
    for field in HTTPS_FIELDS:
        if field in record and not _is_http(record[field], https_only=True):
            errors.append(_("“%(field)s” must start with https://.") % {"field": field})
    for field in ("types", "regions", "feedback_emails"):
        value = record.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(_("“%(field)s” must be a list of text.") % {"field": field})
    if record.get("approximate", "no") not in ("yes", "no"):
        errors.append(_("“approximate” must be “yes” or “no”."))
    for field, limit in (("latitude", 90), ("longitude", 180)):
        value = record.get(field, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) > limit:
            errors.append(_("“%(field)s” must be a number in range.") % {"field": field})
    phone = record.get("conference_phone", "")
    if phone and not (isinstance(phone, str) and PHONE.match(phone)):
        errors.append(_("“conference_phone” may hold only digits, +, commas, * and #."))
    if any(field in record for field in ENTITY_FIELDS) and not record.get("entity"):
        errors.append(_("“entity” is required when other entity fields are given."))


def record_errors(record: Any) -> list[str]:
    """What is wrong with one meeting record; empty when it follows every field rule."""
    if not isinstance(record, dict):
        return [_("Each meeting must be a JSON object.")]
    errors: list[str] = []
    _check_identity(record, errors)
    _check_time(record, errors)
    _check_fields(record, errors)
    return errors


def feed_errors(data: Any, *, limit: int = 10) -> list[str]:
    """Every problem of a whole feed (at most `limit`, each naming its meeting)."""
    if not isinstance(data, list):
        return [_("The feed must be a JSON array of meetings.")]
    problems: list[str] = []
    slugs: set = set()
    for number, record in enumerate(data, start=1):
        for error in record_errors(record):
            problems.append(_("Meeting %(n)d: %(error)s") % {"n": number, "error": error})
        slug = record.get("slug") if isinstance(record, dict) else None
        if slug is not None and not isinstance(slug, (list, dict)):
            if slug in slugs:
                problems.append(
                    _("Meeting %(n)d: “slug” is used twice in the feed.") % {"n": number}
                )
            slugs.add(slug)
        if len(problems) >= limit:
            break
    return problems[:limit]


def plain_text(value: Any, limit: int = 1000) -> str:
    """Text from a feed as we show it: HTML stripped (the spec says notes are plain)."""
    return " ".join(strip_tags(str(value)).split())[:limit] if value else ""
