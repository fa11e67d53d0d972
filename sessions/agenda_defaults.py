"""The built-in agenda templates shipped for three kinds of group.

Each is built from the same well-tried shape (opening and check-in, round-robin sharing,
topic, break, check-out) with wording suited to its members. The data migration
`0002_builtin_agenda_templates` stores them as AgendaTemplate rows without a group; the
agenda service falls back to this module if those rows are ever missing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from django.utils.translation import gettext_noop

# Kinds as stored in AgendaTemplate.kind (kept as plain strings so migrations can use them).
MENS = "mens"
FIRST_RESPONDERS = "first_responders"
GENERAL = "general"


class DefaultItem(NamedTuple):
    title: str
    objective: str
    minutes: int
    flexible: bool = False


BUILT_IN: dict[str, tuple[str, list[DefaultItem]]] = {
    GENERAL: (
        gettext_noop("General mental-health peer group"),
        [
            DefaultItem(
                gettext_noop("Opening and check-in"),
                gettext_noop(
                    "Welcome everyone, recall the ground rules and what stays in the room; "
                    "each person says in a sentence or two how they are arriving today."
                ),
                15,
            ),
            DefaultItem(
                gettext_noop("Round-robin sharing"),
                gettext_noop(
                    "Each person who wishes to shares what has been on their mind since we last "
                    "met; the others listen without fixing or judging. Anyone may pass."
                ),
                30,
                True,
            ),
            DefaultItem(
                gettext_noop("Break"),
                gettext_noop(
                    "Stretch, have a drink, take a breather. Nobody has to come back to a hard "
                    "subject after the break."
                ),
                10,
            ),
            DefaultItem(
                gettext_noop("Topic"),
                gettext_noop(
                    "Explore the meeting's topic together: what helps, what gets in the way, "
                    "what we have learned from each other."
                ),
                25,
                True,
            ),
            DefaultItem(
                gettext_noop("Check-out"),
                gettext_noop(
                    "Each person names one thing they take away and how they are leaving; a "
                    "reminder of the support available between meetings."
                ),
                10,
            ),
        ],
    ),
    MENS: (
        gettext_noop("Men's peer group"),
        [
            DefaultItem(
                gettext_noop("Opening and check-in"),
                gettext_noop(
                    "A short round: your name, one word for how you are doing, and anything you "
                    "need from the group tonight. Ground rules restated."
                ),
                15,
            ),
            DefaultItem(
                gettext_noop("Round-robin sharing"),
                gettext_noop(
                    "Time for each man to talk about what is going on (relationships, work, "
                    "fatherhood, loss) and be heard. No advice unless someone asks for it."
                ),
                30,
                True,
            ),
            DefaultItem(
                gettext_noop("Break"),
                gettext_noop("A few minutes to stretch and reset. Coffee's on."),
                10,
            ),
            DefaultItem(
                gettext_noop("Topic"),
                gettext_noop(
                    "A theme the group chose together, e.g. anger, asking for help or being a "
                    "dad after separation: share experience rather than opinions."
                ),
                25,
                True,
            ),
            DefaultItem(
                gettext_noop("Check-out"),
                gettext_noop(
                    "One thing you will do for yourself before we meet again, and how you are "
                    "leaving tonight."
                ),
                10,
            ),
        ],
    ),
    FIRST_RESPONDERS: (
        gettext_noop("First responders peer group"),
        [
            DefaultItem(
                gettext_noop("Opening, ground rules and check-in"),
                gettext_noop(
                    "Peer support, not professional treatment, and what is said here stays "
                    "here. A brief round of how everyone is arriving; no need to describe "
                    "incidents."
                ),
                15,
            ),
            DefaultItem(
                gettext_noop("Round-robin sharing"),
                gettext_noop(
                    "Share what has been weighing on you: shifts, sleep, home life. Talk about "
                    "feelings rather than graphic detail so nobody is pulled back into their "
                    "own calls. Anyone may pass."
                ),
                30,
                True,
            ),
            DefaultItem(
                gettext_noop("Break"),
                gettext_noop(
                    "Step outside, breathe, ground yourself. Talk to a facilitator if today "
                    "stirred something up."
                ),
                10,
            ),
            DefaultItem(
                gettext_noop("Topic"),
                gettext_noop(
                    "A practical theme, e.g. winding down after a shift, talking to family, "
                    "or when to seek professional help."
                ),
                25,
                True,
            ),
            DefaultItem(
                gettext_noop("Check-out and grounding"),
                gettext_noop(
                    "A short grounding exercise, then one word each for how you are leaving. "
                    "Where to find support between meetings."
                ),
                10,
            ),
        ],
    ),
}

_FIRST_RESPONDER_WORDS = re.compile(
    r"first[ -]?responder|paramedic|firefight|fire ?fighter|police|emergency services|"
    r"ambulance|dispatcher|ptsd",
    re.IGNORECASE,
)
_MEN_WORDS = re.compile(r"\bmen\b|\bmen's\b|\bmale\b|\bfathers?\b|\bdads?\b", re.IGNORECASE)


def kind_for_group(group) -> str:
    """Which built-in agenda suits a group, guessed from who it is for and its topics."""
    text = " ".join([group.name, group.audience, " ".join(group.topics or [])])
    if _FIRST_RESPONDER_WORDS.search(text):
        return FIRST_RESPONDERS
    if _MEN_WORDS.search(text):
        return MENS
    return GENERAL


def builtin_templates_ensure(template_model, item_model) -> int:
    """Create any missing built-in template (idempotent); returns how many were created.

    Takes the model classes so the data migration can pass its historical models.
    """
    created = 0
    for kind, (name, items) in BUILT_IN.items():
        if template_model.objects.filter(group__isnull=True, kind=kind).exists():
            continue
        template = template_model.objects.create(group=None, kind=kind, name=name)
        item_model.objects.bulk_create(
            item_model(template=template, position=i, **item._asdict())
            for i, item in enumerate(items)
        )
        created += 1
    return created
