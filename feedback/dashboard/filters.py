"""The dashboards' filters, read from the query string (a GET form, so views bookmark).

Bad input never fails the page: each invalid value gives a plain message and falls back
to its default. Group ids that are not groups of this organisation are dropped without
saying whether they exist anywhere else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import PeerGroup

PERIODS = {
    "3m": (gettext_lazy("Last 3 months"), 91),
    "12m": (gettext_lazy("Last 12 months"), 365),
    "all": (gettext_lazy("All time"), None),
    "custom": (gettext_lazy("Dates I choose"), None),
}
DEFAULT_PERIOD = "12m"
# The query string's parameters `filters_from` reads (the filters form sends these).
FILTER_PARAMETERS = frozenset({"group", "topic", "format", "period", "from", "to"})
# Far enough back for "all time" without an open-ended range in every query.
EARLIEST = datetime.date(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class GroupChoice:
    """A group as the filters, the side-by-side charts and the attention list name it:
    no private field (place, online link). Light to keep in the cache and to read back,
    unlike a model instance (100 of those took longer to unpickle than the report)."""

    pk: int
    name: str
    slug: str
    topics: tuple[str, ...] = ()

    @classmethod
    def of(cls, group: PeerGroup) -> GroupChoice:
        return cls(group.pk, group.name, group.slug, tuple(group.topics or ()))


@dataclass(frozen=True)
class DashboardFilters:
    """The cleaned filters. `groups` is always a subset of the page's own groups."""

    groups: list[GroupChoice]
    start: datetime.date
    end: datetime.date
    period: str = DEFAULT_PERIOD
    topic: str = ""
    format: str = ""
    chosen_group_ids: list[int] = field(default_factory=list)

    @property
    def group_ids(self) -> list[int]:
        return [g.pk for g in self.groups]

    def start_at(self) -> datetime.datetime:
        return _midnight(self.start)

    def end_before(self) -> datetime.datetime:
        """Exclusive upper bound: the day after `end`, at midnight."""
        return _midnight(self.end + datetime.timedelta(days=1))

    def for_audit(self) -> dict:
        """What the export log keeps: ids and choices only, nothing about anybody."""
        return {
            "groups": self.chosen_group_ids,
            "topic": self.topic,
            "format": self.format,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
        }


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DashboardFilterForm(forms.Form):
    """Cleans one field at a time; the view keeps the valid ones and reports the rest."""

    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False)
    format = forms.ChoiceField(label=gettext_lazy("Meeting format"), required=False)
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        choices=[(k, v[0]) for k, v in PERIODS.items()],
    )

    def __init__(self, *args, topics: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [(t, t) for t in topics]
        self.fields["format"].choices = [("", _("All formats")), *PeerGroup.Format.choices]
        # "from" is a Python keyword, so these two are added by name.
        self.fields["from"] = forms.DateField(label=_("From"), required=False)
        self.fields["to"] = forms.DateField(label=_("To"), required=False)


def _chosen_ids(params, allowed: dict[int, GroupChoice]) -> tuple[list[int], bool]:
    """The group ids asked for that belong here, and whether any asked-for id did not."""
    ids, rejected = [], False
    for raw in params.getlist("group"):
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            rejected = True
            continue
        if pk in allowed and pk not in ids:
            ids.append(pk)
        else:
            rejected = rejected or pk not in allowed
    return ids, rejected


def filters_from(params, *, groups: list[GroupChoice], topics: list[str], today=None):
    """(DashboardFilters, form, messages) from a QueryDict, for these candidate groups."""
    today = today or timezone.localdate()
    form = DashboardFilterForm(params, topics=topics)
    form.is_valid()
    data, errors = form.cleaned_data, []
    allowed = {g.pk: g for g in groups}
    chosen, rejected = _chosen_ids(params, allowed)
    if rejected:
        errors.append(_("Some groups you asked for are not in this list; they were left out."))
    for name, message in (
        ("topic", _("That topic isn't one of this organisation's; showing all topics.")),
        ("format", _("That meeting format isn't known; showing all formats.")),
        ("period", _("That period isn't known; showing the last 12 months.")),
    ):
        if name in form.errors:
            errors.append(message)
    topic, fmt = data.get("topic") or "", data.get("format") or ""
    selected = [allowed[pk] for pk in chosen] or list(groups)
    if topic:
        selected = [g for g in selected if topic in (g.topics or [])]
    start, end, period = _period(form, data, today, errors)
    filters = DashboardFilters(
        groups=selected,
        start=start,
        end=end,
        period=period,
        topic=topic,
        format=fmt,
        chosen_group_ids=chosen,
    )
    return filters, form, errors


def _period(form, data, today, errors) -> tuple[datetime.date, datetime.date, str]:
    period = data.get("period") or DEFAULT_PERIOD
    default = (today - datetime.timedelta(days=365), today, DEFAULT_PERIOD)
    if "from" in form.errors or "to" in form.errors:
        errors.append(_("A date wasn't understood (use YYYY-MM-DD); showing the last 12 months."))
        return default
    start, end = data.get("from"), data.get("to")
    if start or end:
        period = "custom"
    if period == "custom":
        start, end = start or EARLIEST, end or today
        if start > end:
            errors.append(_("The start date is after the end date; showing the last 12 months."))
            return default
        # Clamped so far-off dates (year 1, year 9999) cannot overflow the day arithmetic.
        latest = today + datetime.timedelta(days=366)
        return max(start, EARLIEST), min(end, latest), period
    days = PERIODS[period][1]
    start = EARLIEST if days is None else today - datetime.timedelta(days=days)
    return start, today, period
