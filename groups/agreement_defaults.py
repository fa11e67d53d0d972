"""Default texts every new organisation starts from. Organizers adapt them; groups adapt
theirs again. Written in plain, kind language for people who may be struggling.

Each line is translated on its own, so a translator never has to handle a whole page.
"""

from django.utils.translation import gettext_lazy as _

CONFIDENTIALITY = [
    _("Confidentiality agreement"),
    "",
    _(
        "What is shared in the group stays in the group. I will not repeat what other "
        "members say, or who was there, to anyone outside the group, in person, in writing "
        "or online."
    ),
    _(
        "I may talk about what I learned and how I feel, but never in a way that could "
        "identify another member."
    ),
    _("I will not share screenshots, recordings, names, contact details or stories of others."),
    _(
        "If I meet another member outside the group, I let them decide whether to say how "
        "we know each other."
    ),
    "",
    _("Limits of confidentiality"),
    _(
        "Confidentiality has limits when someone's safety is at stake. If a member, or "
        "someone else, seems to be at serious risk of harm, the facilitators may contact "
        "emergency services or the organisation's safeguarding lead. Where possible, they "
        "talk with the person first."
    ),
    _(
        "Facilitators keep brief notes to run the group well; they do not name members in "
        "them, and the notes are deleted after a set time."
    ),
    "",
    _("Peer support is not professional care"),
    _(
        "This group is peer support: people with a shared experience listening to and "
        "supporting each other. It does not replace medical, psychological or emergency "
        "care. If you are in crisis, call your local emergency number or use the crisis "
        "resources linked on every page."
    ),
]

GROUND_RULES = [
    _("Ground rules"),
    "",
    _(
        "1. Mutual respect: we treat each other with kindness and dignity, whatever our "
        "background, beliefs or experience."
    ),
    _("2. Listening without judgement: we listen to understand, not to fix, argue or compare."),
    _("3. One person speaks at a time: we do not interrupt, and we leave room for quieter voices."),
    _(
        '4. We speak for ourselves, using "I", and share only what we are comfortable '
        "sharing. Passing is always fine."
    ),
    _("5. We do not give medical or legal advice; we can share what worked for us."),
    _("6. We arrive on time, say if we cannot come, and keep phones silent."),
    _("7. We do not come to the group under the influence of alcohol or drugs."),
    _(
        "8. If something in the group upsets us, we can take a break, and speak to a "
        "facilitator afterwards in private."
    ),
]

# No heading line: pages put the "Online addendum" heading above it.
ONLINE_ADDENDUM = [
    _(
        "1. I join from a private space where no one else can see or hear the meeting, or "
        "I use headphones."
    ),
    _(
        "2. I never record, photograph or screenshot the meeting, and I do not use "
        "transcription tools."
    ),
    _(
        "3. I keep my camera on when I can, so we can see each other; it is fine to turn it "
        "off for a moment. I mute my microphone when I am not speaking."
    ),
    _("4. I use the display name I have in the group."),
    _(
        "5. If my connection drops, I try to rejoin with the same link. If I cannot, I let "
        "a facilitator know afterwards; no one will think I left on purpose."
    ),
    _(
        "6. If I become distressed and leave the call, a facilitator may check on me "
        "privately by message."
    ),
]

_DEFAULTS = {
    "confidentiality": CONFIDENTIALITY,
    "ground_rules": GROUND_RULES,
    "online_addendum": ONLINE_ADDENDUM,
}


def default_text(kind: str) -> str:
    """The default text of one template kind, in the active language."""
    return "\n".join(str(line) for line in _DEFAULTS[kind])
