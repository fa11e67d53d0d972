"""THE table of what renews what: each model feeding a cache, and the scopes
(`peersupport.cache`) that a save or delete of one of its rows renews.

Scopes, by their readers:
- "person:<user>": the account, its memberships (with their groups and agreement
  versions: a change there renews every member's), organisation roles, signatures and MFA
  devices: the permission layer's rows, the signed-in account, the MFA flag; and the
  person's own rows in group spaces (their name and break there, a suspension, what they
  reported: `space.selectors`).
- "people": the columns anyone's page shows of an account (PERSON_COLUMNS).
- "group:<id>", "org:<id>", "series:<id>": a group (and its agreement versions), an
  organisation, a series, as pages showing them read them (per group: saving one group
  leaves every other group's cached rows alone).
- "meeting:<id>" (a meeting, its agenda and roles), "meeting-rsvps:<id>" (its RSVPs),
  "org-meetings:<org>" (any meeting of the organisation's groups with its agenda, roles,
  RSVPs and group names: the facilitator dashboard).
- "public:all", "public:directory", "public:group:<id>", "public:organisation:<id>":
  visitors' public pages (`groups.cache`) and the Meeting Guide feeds (`finders.feed`).
- "dashboard:<org>": the organisation's feedback dashboards (`feedback.dashboard.cache`).
- "feed:user:<id>", "feed:group:<id>": private calendar feeds (`sessions.feed_cache`).
- "thread:<id>": a group-space thread and its posts, as everyone who may read it sees
  them (the thread page keeps them as rows and drawn, `space.loaders`, `space.views.board`).
- "notices:<user>": a member's notifications (the bell's unread count); its own scope,
  so a new notice leaves their permission rows ("person:<user>") cached.

Models are named by label, so this module imports no app. `connect()` (from
PeersupportConfig.ready) is the only place connecting model signals for caching: one
post_save receiver for every model, and post_delete per model in the table (a receiver
for every model would stop Django's fast bulk deletes everywhere).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save

from peersupport.cache import PERSON_COLUMNS, renew

# A group never moves to another organisation, nor a meeting to another group: kept a day.
LOOKUP_SECONDS = 24 * 3600
# What a feed shows of its owner: a sign-in stamping last_login leaves feeds alone.
FEED_USER_FIELDS = frozenset({"discreet_mode", "time_zone", "preferred_language", "is_active"})


@functools.cache
def _feed_meeting_fields() -> frozenset[str]:
    # Imported when first needed: the meetings app builds on this one.
    from sessions.selectors.rsvp import FEED_MEETING_FIELDS

    return frozenset({f for f in FEED_MEETING_FIELDS if "__" not in f and f != "id"} | {"group"})


def _shows(shown: frozenset, fields) -> bool:
    return fields is None or bool(shown & fields)


def _loaded(instance, name: str):
    """The related object `name` if this instance already holds it (no query), else None."""
    return instance._meta.get_field(name).get_cached_value(instance, default=None)


def _looked_up(model, pk: int | None, path: str):
    """`model` row `pk`'s value at `path`, kept in the cache (None: no such row)."""
    if pk is None:
        return None
    key = f"lookup:{model._meta.label_lower}:{pk}:{path}"
    found = cache.get(key)
    if found is None:
        found = model.objects.filter(pk=pk).values_list(path, flat=True).first()
        if found is not None:
            cache.set(key, found, LOOKUP_SECONDS)
    return found


def organisation_of_group_row(instance) -> int | None:
    """For rows of a group (memberships, meetings, suggestions, goals, reviews)."""
    group = _loaded(instance, "group")
    if group is not None:
        return group.organisation_id
    model = instance._meta.get_field("group").related_model
    return _looked_up(model, instance.group_id, "organisation_id")


def organisation_via(field: str) -> Callable[[object], int | None]:
    """For rows of a group's row: RSVPs, attendance, agenda items and roles of a meeting,
    answers to a review, notes on a group goal, RSVPs of an event."""

    def organisation(instance) -> int | None:
        parent = _loaded(instance, field)
        if parent is not None:
            if hasattr(parent, "group_id"):
                return organisation_of_group_row(parent)
            return parent.organisation_id
        model = instance._meta.get_field(field).related_model
        path = "group__organisation_id" if hasattr(model, "group") else "organisation_id"
        return _looked_up(model, getattr(instance, f"{field}_id"), path)

    return organisation


def _opt(template: str, value) -> list[str]:
    return [template.format(value)] if value is not None else []


# --- Scopes of each model's rows: (instance, changed fields or None) -> scopes ------------
def _user(user, fields) -> list[str]:
    scopes = [f"person:{user.pk}"]
    if _shows(frozenset(PERSON_COLUMNS), fields):
        scopes.append("people")
    if _shows(FEED_USER_FIELDS, fields):
        scopes.append(f"feed:user:{user.pk}")
    return scopes


def _person_row(instance, fields) -> list[str]:
    """Memberships, roles, signatures: the person's permission rows and feed."""
    user_id = getattr(instance, "user_id", None) or getattr(instance, "member_id", None)
    return [f"person:{user_id}", f"feed:user:{user_id}"] if user_id else []


def _membership(membership, fields) -> list[str]:
    organisation = organisation_of_group_row(membership)
    return [
        *_person_row(membership, fields),
        f"public:group:{membership.group_id}",  # "full" on the landing page
        *_opt("dashboard:{}", organisation),
    ]


def _model(instance, *path: str):
    """The model reached from `instance` through the relations `path` (no app imported)."""
    model = type(instance)
    for name in path:
        model = model._meta.get_field(name).related_model
    return model


def _members(row, *path: str) -> list[str]:
    """Everyone in the group (`row` or the group it reaches by `path`): their permission
    rows hold the group and its agreement status (one query on a rare write, so that
    reading those rows needs no token per group)."""
    membership = _model(row, *path, "memberships")
    group_id = row.pk if not path else getattr(row, f"{path[0]}_id")
    users = membership.objects.filter(group_id=group_id).values_list("user_id", flat=True)
    return [f"person:{pk}" for pk in users]


def _group(group, fields) -> list[str]:
    return [
        *_members(group),
        f"group:{group.pk}",
        f"org-meetings:{group.organisation_id}",  # the dashboard names each meeting's group
        "public:directory",
        f"public:group:{group.pk}",
        f"dashboard:{group.organisation_id}",
        f"feed:group:{group.pk}",
    ]


def _organisation(organisation, fields) -> list[str]:
    # Its name shows on every public card and landing page, and heads its events page.
    return [f"org:{organisation.pk}", "public:all", f"public:organisation:{organisation.pk}"]


def _agreement_version(version, fields) -> list[str]:
    # A new version: every member must sign again before the place and link show (and
    # the dashboards' "needs attention" counts who has not signed).
    return [
        *_members(version, "group"),
        f"group:{version.group_id}",
        f"feed:group:{version.group_id}",
        *_opt("dashboard:{}", organisation_of_group_row(version)),
    ]


def _meeting(meeting, fields) -> list[str]:
    try:
        organisation = organisation_of_group_row(meeting)
    except ObjectDoesNotExist:  # deleted with its group, whose own delete renews the group's scopes
        organisation = None
    scopes = [
        f"meeting:{meeting.pk}",
        "public:directory",  # the directory card and the landing page show the next meeting
        f"public:group:{meeting.group_id}",
        *_opt("org-meetings:{}", organisation),
        *_opt("dashboard:{}", organisation),
    ]
    if _shows(_feed_meeting_fields(), fields):
        scopes.append(f"feed:group:{meeting.group_id}")
    return scopes


_organisation_of_meeting = organisation_via("meeting")


def _of_meeting(row, fields) -> list[str]:
    """Agenda items and roles: the meeting page and the dashboard."""
    return [f"meeting:{row.meeting_id}", *_opt("org-meetings:{}", _organisation_of_meeting(row))]


def _rsvp(rsvp, fields) -> list[str]:
    organisation = _organisation_of_meeting(rsvp)
    return [
        f"meeting-rsvps:{rsvp.meeting_id}",  # seat counts and waitlist places
        *_opt("org-meetings:{}", organisation),
        *_opt("dashboard:{}", organisation),
        f"feed:user:{rsvp.user_id}",  # "going" can reveal a place and link
    ]


def _dashboard_via(field: str | None):
    find = organisation_via(field) if field else organisation_of_group_row
    return lambda row, fields: _opt("dashboard:{}", find(row))


def _personal_goal(goal, fields) -> list[str]:
    """A personal goal counts for every organisation its owner is a member in."""
    organisations = (
        _model(goal, "owner", "memberships")
        .objects.filter(user_id=goal.owner_id)
        .values_list("group__organisation_id", flat=True)
        .distinct()
    )
    return [f"dashboard:{pk}" for pk in organisations]


SCOPES: dict[str, Callable[[object, frozenset | None], Iterable[str]]] = {
    "members.user": _user,
    # The bell's unread count (`members.notifications.notices`).
    "members.notice": lambda notice, fields: [f"notices:{notice.recipient_id}"],
    "mfa.authenticator": _person_row,
    "groups.membership": _membership,
    "groups.organisationrole": _person_row,
    "groups.signature": lambda row, fields: [
        *_person_row(row, fields),
        *_dashboard_via(None)(row, fields),  # "needs attention": members who have not signed
    ],
    # "Needs attention" on the dashboards: open concerns, support requests waiting.
    "groups.concern": lambda row, fields: _dashboard_via(None)(row, fields),
    "groups.supportrequest": lambda row, fields: _dashboard_via(None)(row, fields),
    "groups.peergroup": _group,
    "groups.organisation": _organisation,
    "groups.agreementversion": _agreement_version,
    "meetings.meetingseries": lambda series, fields: [f"series:{series.pk}"],
    "meetings.meeting": _meeting,
    "meetings.agendaitem": _of_meeting,
    "meetings.meetingrole": _of_meeting,
    "meetings.rsvp": _rsvp,
    "meetings.calendarfeed": lambda feed, fields: [f"feed:user:{feed.user_id}"],
    "meetings.communityevent": lambda event, fields: [
        f"public:organisation:{event.organisation_id}"
    ],
    "meetings.eventrsvp": lambda rsvp, fields: _opt(
        "public:organisation:{}", organisation_via("event")(rsvp)
    ),
    "meetings.attendance": _dashboard_via("meeting"),
    # Nearby groups read from other organisations' feeds show in the directory.
    "finders.feedsource": lambda source, fields: ["public:directory"],
    "feedback.checkinreceipt": _dashboard_via("meeting"),
    "feedback.checkinresponse": _dashboard_via("meeting"),
    "feedback.questionset": lambda qs, fields: [f"dashboard:{qs.organisation_id}"],
    "feedback.suggestion": _dashboard_via(None),
    "feedback.goalreview": _dashboard_via(None),
    "feedback.goalreviewresponse": _dashboard_via("review"),
    "feedback.groupgoal": _dashboard_via(None),
    "feedback.groupgoalnote": _dashboard_via("goal"),
    "feedback.personalgoal": _personal_goal,
    "space.post": lambda post, fields: [f"thread:{post.thread_id}"],
    "space.thread": lambda thread, fields: [f"thread:{thread.pk}"],
    # A reader's own rows in the space (their name and break, a suspension; what they
    # reported), kept under their person's scope.
    "space.participant": lambda participant, fields: [f"person:{participant.user_id}"],
    "space.report": lambda report, fields: _opt("person:{}", report.reporter_id),
}
# Renewed on save only: answers are deleted in bulk when a round is sealed, which changes
# no figure (released figures are frozen).
SAVE_ONLY = frozenset({"feedback.checkinresponse"})


def scopes_of(instance, fields: Iterable[str] | None = None) -> list[str]:
    """The scopes a save (of `fields`, None: all) or delete of `instance` renews."""
    find = SCOPES.get(instance._meta.label_lower)
    if find is None:
        return []
    return list(find(instance, None if fields is None else frozenset(fields)))


def renew_rows(rows: Iterable, fields: Iterable[str] | None = None) -> None:
    """For bulk writes (`.update()`, `bulk_create`, which send no signal): renew what a
    save of each row would. Pass the rows as loaded *before* the write when it moves them."""
    renew(*(scope for row in rows for scope in scopes_of(row, fields)))


def _saved(sender, instance, update_fields=None, **kwargs) -> None:
    if sender._meta.label_lower in SCOPES:
        renew(*scopes_of(instance, update_fields))


def _deleted(sender, instance, **kwargs) -> None:
    renew(*scopes_of(instance))


def connect() -> None:
    post_save.connect(_saved, dispatch_uid="cache-scopes-save", weak=False)
    for label in SCOPES.keys() - SAVE_ONLY:
        app_label, model = label.split(".")
        post_delete.connect(
            _deleted, sender=f"{app_label}.{model}", dispatch_uid=f"cache-{label}", weak=False
        )
