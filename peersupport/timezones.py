"""The time-zone chooser: the common zones first, then every city zone by region.

The tz database also holds aliases and technical entries ("Factory", "localtime",
"Etc/GMT+5", "US/Eastern", "EST5EDT"): nobody looks for their home there, so they are
left out; a city zone exists for every one of them.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.utils.translation import gettext_lazy as _

COMMON = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Africa/Johannesburg",
)

REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific"),
}


def _label(name: str) -> str:
    return name.split("/", 1)[-1].replace("_", " ").replace("/", " / ")


@cache
def _by_region() -> dict[str, list[str]]:
    regions: dict[str, list[str]] = {region: [] for region in REGIONS}
    for name in sorted(zoneinfo.available_timezones()):
        region = name.split("/", 1)[0]
        if "/" in name and region in regions and name not in COMMON:
            regions[region].append(name)
    return regions


def time_zone_choices() -> list:
    """Grouped choices for a select: "Common", then one group per region, by city."""
    common = [(name, name.replace("_", " ") if "/" in name else name) for name in COMMON]
    grouped = [(_("Common time zones"), common)]
    for region, names in _by_region().items():
        choices = sorted(((name, _label(name)) for name in names), key=lambda c: c[1])
        grouped.append((REGIONS[region], choices))
    return grouped
