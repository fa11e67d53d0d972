"""Reads about agendas and agenda templates."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from groups.models import PeerGroup
from sessions.models import AgendaItem, AgendaTemplate, Meeting


@dataclass(frozen=True)
class AgendaSummary:
    """The running total of an agenda against the meeting's length."""

    total: int
    length: int
    flexible: int
    count: int

    @property
    def fits(self) -> bool:
        return self.total <= self.length

    @property
    def over_by(self) -> int:
        return max(self.total - self.length, 0)

    @property
    def spare(self) -> int:
        return max(self.length - self.total, 0)

    @property
    def flexible_can_absorb(self) -> bool:
        """Shortening the flexible items could make up the overrun."""
        return 0 < self.over_by < self.flexible


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in order; C1's meeting page and the live view call this too."""
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))


def agenda_summary(meeting: Meeting, items: list[AgendaItem]) -> AgendaSummary:
    return AgendaSummary(
        total=sum(item.minutes for item in items),
        length=meeting.duration_minutes,
        flexible=sum(item.minutes for item in items if item.flexible),
        count=len(items),
    )


def agenda_templates_of(group: PeerGroup) -> QuerySet[AgendaTemplate]:
    """The group's own templates, default first, with their item counts and total minutes."""
    return (
        AgendaTemplate.objects.filter(group=group)
        .annotate(item_count=Count("items"), total_minutes=Sum("items__minutes"))
        .order_by("-is_group_default", "name", "pk")
    )


def agenda_templates_builtin() -> QuerySet[AgendaTemplate]:
    return (
        AgendaTemplate.objects.filter(group__isnull=True)
        .annotate(item_count=Count("items"), total_minutes=Sum("items__minutes"))
        .order_by("name", "pk")
    )


def agenda_templates_choosable(group: PeerGroup) -> list[AgendaTemplate]:
    """Templates a facilitator may apply to a meeting: the group's own, then built-ins."""
    return list(agenda_templates_of(group)) + list(agenda_templates_builtin())


def agenda_template_with_items(template_id: int) -> AgendaTemplate | None:
    return (
        AgendaTemplate.objects.filter(pk=template_id)
        .prefetch_related("items")
        .select_related("group")
        .first()
    )
