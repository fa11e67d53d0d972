"""Writes about a meeting's agenda and the groups' agenda templates.

Every change to a meeting's agenda names the `agenda_version` the editor saw. The meeting
row is locked, the version compared and bumped, so when two facilitators edit at once the
second change is refused with an explanation instead of silently undoing the first.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from groups.models import PeerGroup
from peersupport import cache
from peersupport.errors import DomainError
from sessions import agenda_defaults
from sessions.models import AgendaItem, AgendaTemplate, AgendaTemplateItem, Meeting

MAX_ITEM_MINUTES = 600
MAX_ITEMS = 40


class AgendaChanged(DomainError):
    """Someone else changed the agenda since this editor loaded it."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this agenda while you were editing, so your change was "
                "not saved. Here is the latest agenda: check it and try again."
            )
        )


def agenda_editable(meeting: Meeting) -> bool:
    """Only an upcoming, not cancelled meeting's agenda can change (the page hides controls)."""
    return meeting.status != Meeting.Status.CANCELLED and meeting.ends_at > timezone.now()


def _locked_meeting(*, meeting: Meeting, version: int | None) -> Meeting:
    """Lock the meeting row and check the editor saw the current agenda."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status == Meeting.Status.CANCELLED:
        raise DomainError(_("This meeting is cancelled, so its agenda can't be changed."))
    if locked.ends_at <= timezone.now():
        raise DomainError(_("This meeting is over, so its agenda can't be changed."))
    if version is not None and locked.agenda_version != version:
        raise AgendaChanged()
    return locked


def _bump(meeting: Meeting) -> None:
    """Every agenda change ends here: a new agenda version, and the cached meeting page
    rows renewed (bulk writes and `.update()` send no signal)."""
    Meeting.objects.filter(pk=meeting.pk).update(agenda_version=F("agenda_version") + 1)
    cache.renew(f"meeting:{meeting.pk}", f"org-meetings:{meeting.group.organisation_id}")
    meeting.refresh_from_db(fields=["agenda_version"])


def _check_item(*, title: str, minutes: int) -> None:
    if not title.strip():
        raise DomainError(_("Give the agenda item a title."))
    if minutes is None or minutes < 1:
        raise DomainError(_("Give each agenda item at least one minute."))
    if minutes > MAX_ITEM_MINUTES:
        raise DomainError(_("An agenda item can be at most 600 minutes long."))


def _renumber(meeting: Meeting, ordered_ids: list[int]) -> None:
    items = {item.pk: item for item in meeting.agenda_items.all()}
    for position, pk in enumerate(ordered_ids):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, version: int, title: str, objective: str, minutes: int, flexible: bool
) -> AgendaItem:
    """Append an item to the meeting's agenda."""
    locked = _locked_meeting(meeting=meeting, version=version)
    _check_item(title=title, minutes=minutes)
    count = locked.agenda_items.count()
    if count >= MAX_ITEMS:
        raise DomainError(_("An agenda can have at most 40 items."))
    item = AgendaItem.objects.create(
        meeting=locked,
        position=count,
        title=title.strip(),
        objective=objective.strip(),
        minutes=minutes,
        flexible=flexible,
    )
    _bump(meeting)
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, version: int, title: str, objective: str, minutes: int, flexible: bool
) -> AgendaItem:
    _locked_meeting(meeting=item.meeting, version=version)
    _check_item(title=title, minutes=minutes)
    item.title, item.objective = title.strip(), objective.strip()
    item.minutes, item.flexible = minutes, flexible
    item.save(update_fields=["title", "objective", "minutes", "flexible"])
    _bump(item.meeting)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, version: int) -> None:
    meeting = item.meeting
    _locked_meeting(meeting=meeting, version=version)
    item.delete()
    _renumber(meeting, list(meeting.agenda_items.values_list("pk", flat=True)))
    _bump(meeting)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, version: int, offset: int) -> None:
    """Move an item up (offset -1) or down (+1); at either end nothing changes."""
    meeting = item.meeting
    _locked_meeting(meeting=meeting, version=version)
    ids = list(meeting.agenda_items.values_list("pk", flat=True))
    old = ids.index(item.pk)
    new = old + offset
    if not 0 <= new < len(ids):
        return
    ids.insert(new, ids.pop(old))
    _renumber(meeting, ids)
    _bump(meeting)


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, version: int, item_ids: list[int]) -> None:
    """Put the items in the given order (from drag and drop): all of them, each once."""
    _locked_meeting(meeting=meeting, version=version)
    current = list(meeting.agenda_items.values_list("pk", flat=True))
    if sorted(current) != sorted(item_ids) or len(set(item_ids)) != len(item_ids):
        raise AgendaChanged()
    _renumber(meeting, item_ids)
    _bump(meeting)


def _template_for(group: PeerGroup) -> AgendaTemplate | None:
    """The group's default template, else the built-in for its kind, else the general one."""
    default = AgendaTemplate.objects.filter(group=group, is_group_default=True).first()
    if default is not None:
        return default
    builtins = {t.kind: t for t in AgendaTemplate.objects.filter(group__isnull=True)}
    return builtins.get(agenda_defaults.kind_for_group(group)) or builtins.get(
        agenda_defaults.GENERAL
    )


def _items_of(template: AgendaTemplate | None, group: PeerGroup) -> list[dict]:
    if template is not None:
        items = [
            {
                "title": i.title,
                "objective": i.objective,
                "minutes": i.minutes,
                "flexible": i.flexible,
            }
            for i in template.items.all()
        ]
        if template.group_id is not None:
            return items  # the group's own wording, as its facilitators wrote it
    else:
        # The built-in rows are missing (e.g. a flushed test database): the shipped data.
        _name, defaults = agenda_defaults.BUILT_IN[agenda_defaults.kind_for_group(group)]
        items = [item._asdict() for item in defaults]
    # A built-in agenda is written in the organisation's language: the same for everyone
    # in the group, whoever (or whichever scheduled task) created the meeting.
    with translation.override(group.organisation.default_language):
        for item in items:
            item["title"] = gettext(item["title"])
            item["objective"] = gettext(item["objective"])
    return items


@transaction.atomic
def agenda_start_from_default(*, meeting: Meeting) -> int:
    """Give a new meeting the agenda of its group's template; returns the items created.

    Does nothing when the meeting already has an agenda, so it is safe to call twice.
    """
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.agenda_items.exists():
        return 0
    items = _items_of(_template_for(locked.group), locked.group)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=locked, position=i, **data) for i, data in enumerate(items)
    )
    _bump(meeting)
    return len(items)


@transaction.atomic
def agenda_apply_template(*, meeting: Meeting, version: int, template: AgendaTemplate) -> int:
    """Replace the meeting's agenda by a template's items (the group's own or a built-in)."""
    locked = _locked_meeting(meeting=meeting, version=version)
    if template.group_id not in (None, locked.group_id):
        raise DomainError(_("That template belongs to another group."))
    locked.agenda_items.all().delete()
    items = _items_of(template, locked.group)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=locked, position=i, **data) for i, data in enumerate(items)
    )
    _bump(meeting)
    return len(items)


@transaction.atomic
def agenda_fit_to_meeting(*, meeting: Meeting) -> bool:
    """Shorten an agenda longer than its meeting: flexible items give up their minutes
    first, then every item in proportion (at least a minute each). True when it changed.
    """
    items = list(meeting.agenda_items.order_by("position", "pk"))
    over = sum(i.minutes for i in items) - meeting.duration_minutes
    if over <= 0 or not items:
        return False
    for item in [i for i in items if i.flexible]:
        taken = min(over, item.minutes - 1)
        item.minutes -= taken
        over -= taken
    if over > 0:
        total = sum(i.minutes for i in items)
        scale = meeting.duration_minutes / total
        for item in items:
            item.minutes = max(1, int(item.minutes * scale))
    AgendaItem.objects.bulk_update(items, ["minutes"])
    _bump(meeting)
    return True


# --- Templates --------------------------------------------------------------------------
def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise DomainError(_("Give the template a name."))
    return name


@transaction.atomic
def agenda_template_create_from_meeting(*, meeting: Meeting, name: str) -> AgendaTemplate:
    """Keep this meeting's agenda as one of the group's templates."""
    items = list(meeting.agenda_items.all())
    if not items:
        raise DomainError(_("This agenda has no items yet, so there is nothing to keep."))
    template = AgendaTemplate.objects.create(group=meeting.group, name=_check_name(name))
    AgendaTemplateItem.objects.bulk_create(
        AgendaTemplateItem(
            template=template,
            position=i,
            title=item.title,
            objective=item.objective,
            minutes=item.minutes,
            flexible=item.flexible,
        )
        for i, item in enumerate(items)
    )
    return template


@transaction.atomic
def agenda_template_copy(*, group: PeerGroup, source: AgendaTemplate) -> AgendaTemplate:
    """Give the group its own editable copy of a built-in (or one of its own) template."""
    if source.group_id not in (None, group.pk):
        raise DomainError(_("That template belongs to another group."))
    template = AgendaTemplate.objects.create(
        group=group, kind=source.kind, name=_("%(name)s (our version)") % {"name": source.name}
    )
    AgendaTemplateItem.objects.bulk_create(
        AgendaTemplateItem(template=template, **data)
        for data in ({"position": i, **values} for i, values in enumerate(_items_of(source, group)))
    )
    return template


@transaction.atomic
def agenda_template_set_default(*, template: AgendaTemplate) -> None:
    """New meetings of the group start from this template (only one default per group)."""
    if template.group_id is None:
        raise DomainError(_("Copy a built-in template to your group before making it the default."))
    AgendaTemplate.objects.filter(group_id=template.group_id, is_group_default=True).exclude(
        pk=template.pk
    ).update(is_group_default=False)
    AgendaTemplate.objects.filter(pk=template.pk).update(is_group_default=True)


@transaction.atomic
def agenda_template_update(*, template: AgendaTemplate, name: str, items: list[dict]) -> None:
    """Save a group template's name and items (each: title, objective, minutes, flexible)."""
    if template.group_id is None:
        raise DomainError(_("Built-in templates can't be edited; copy one to your group."))
    template.name = _check_name(name)
    for data in items:
        _check_item(title=data["title"], minutes=data["minutes"])
    if not items:
        raise DomainError(_("A template needs at least one item."))
    template.save(update_fields=["name"])
    template.items.all().delete()
    AgendaTemplateItem.objects.bulk_create(
        AgendaTemplateItem(template=template, position=i, **data) for i, data in enumerate(items)
    )


@transaction.atomic
def agenda_template_delete(*, template: AgendaTemplate) -> None:
    if template.group_id is None:
        raise DomainError(_("Built-in templates can't be deleted."))
    template.delete()
