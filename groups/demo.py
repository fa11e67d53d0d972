"""Demo organisations, groups and memberships for `manage.py seed_demo`. Safe to rerun:
rows are found by their unique keys (slugs, group + person) and refreshed."""

from __future__ import annotations

import datetime
from importlib import import_module

from django.utils import timezone

from groups.models import (
    Membership,
    MembershipEvent,
    Organisation,
    OrganisationRole,
    PartnerOrganisation,
    PeerGroup,
)
from members.demo import demo_user
from members.models import User

F = PeerGroup.Format
FREQ = PeerGroup.Frequency
W = PeerGroup.Weekday
V = PeerGroup.Visibility
J = PeerGroup.JoinPolicy

HARBOUR = {
    "name": "Harbour Peer Network",
    "description": (
        "A volunteer-run network of peer support groups on the south coast. Our groups are "
        "led by trained peers with lived experience, and every group keeps a confidentiality "
        "agreement and ground rules its members shaped together."
    ),
    "contact_email": "hello@harbourpeers.example.org",
    "contact_phone": "023 9600 0000",
    "website": "https://harbourpeers.example.org",
    "crisis_resources": (
        "Emergency: call 999 or 112\n"
        "Samaritans (24 hours): 116 123\n"
        "Shout crisis text line: text SHOUT to 85258\n"
        "NHS urgent mental health: call 111, option 2"
    ),
    "professional_referrals": (
        "Your GP can refer you to NHS Talking Therapies\n"
        "Harbour Trauma Clinic (first responders): 023 9600 0100\n"
        "Relate (relationships and separation): relate.org.uk\n"
        "Cruse Bereavement Support: 0808 808 1677"
    ),
}
NORTHERN = {
    "name": "Northern Lights Peer Collective",
    "description": "Peer circles across the north of England and online, in several languages.",
    "contact_email": "circles@northernlights.example.org",
    "crisis_resources": "Emergency: call 999 or 112\nSamaritans (24 hours): 116 123",
    "professional_referrals": "Your GP can refer you to NHS Talking Therapies",
}

FR_PURPOSE = (
    "A steady place for police officers, firefighters, paramedics, dispatchers and other "
    "first responders living with the after-effects of trauma, including PTSD."
)
RULES = (
    "What is said here stays here. One person speaks at a time. We listen without "
    "judgement, speak for ourselves, and passing is always fine."
)
HOW = (
    "We open with a short check-in round, share in turn, take a break, discuss a topic the "
    "group chose, and close with a check-out. Nobody has to speak."
)


def _group(slug: str, org: Organisation, **values) -> PeerGroup:
    values.setdefault("how_meetings_run", HOW)
    values.setdefault("ground_rules_summary", RULES)
    group, _created = PeerGroup.objects.update_or_create(
        slug=slug, defaults={"organisation": org, **values}
    )
    return group


# (slug, name, audience, topics, format, city, language, day, hour, frequency, org key)
MORE_GROUPS = [
    (
        "grief-after-loss-leeds",
        "Grief After Loss",
        "Adults who lost someone close",
        ["grief", "bereavement"],
        F.IN_PERSON,
        "Leeds",
        "en",
        W.WEDNESDAY,
        18,
        FREQ.WEEKLY,
        "n",
    ),
    (
        "new-parents-wellbeing",
        "New Parents' Wellbeing Circle",
        "Parents of babies under two",
        ["parenting", "postnatal depression"],
        F.ONLINE,
        "",
        "en",
        W.MONDAY,
        10,
        FREQ.WEEKLY,
        "h",
    ),
    (
        "veterans-coffee-circle",
        "Veterans' Coffee Circle",
        "Armed forces veterans",
        ["ptsd", "veterans"],
        F.IN_PERSON,
        "Portsmouth",
        "en",
        W.SATURDAY,
        11,
        FREQ.BIWEEKLY,
        "h",
    ),
    (
        "carers-evening-group",
        "Carers' Evening Group",
        "People caring for a family member",
        ["carers", "burnout"],
        F.HYBRID,
        "Southampton",
        "en",
        W.TUESDAY,
        19,
        FREQ.WEEKLY,
        "h",
    ),
    (
        "cercle-anxiete-en-ligne",
        "Cercle anxiété en ligne",
        "Adultes vivant avec l'anxiété",
        ["anxiety", "anxiété"],
        F.ONLINE,
        "",
        "fr",
        W.THURSDAY,
        20,
        FREQ.WEEKLY,
        "n",
    ),
    (
        "trauernde-treffen",
        "Trauernde treffen sich",
        "Menschen in Trauer",
        ["grief", "trauer"],
        F.ONLINE,
        "",
        "de",
        W.SUNDAY,
        17,
        FREQ.BIWEEKLY,
        "n",
    ),
    (
        "grupo-ansiedad-manchester",
        "Grupo de apoyo: ansiedad",
        "Hispanohablantes con ansiedad",
        ["anxiety"],
        F.IN_PERSON,
        "Manchester",
        "es",
        W.FRIDAY,
        18,
        FREQ.WEEKLY,
        "n",
    ),
    (
        "chronic-pain-peers",
        "Living With Chronic Pain",
        "Adults with long-term pain",
        ["chronic pain", "sleep"],
        F.ONLINE,
        "",
        "en",
        W.WEDNESDAY,
        13,
        FREQ.WEEKLY,
        "n",
    ),
    (
        "young-adults-mood",
        "Young Adults' Mood Circle",
        "People aged 18 to 25",
        ["depression", "anxiety", "students"],
        F.HYBRID,
        "Leeds",
        "en",
        W.THURSDAY,
        17,
        FREQ.WEEKLY,
        "n",
    ),
    (
        "recovery-morning-walk",
        "Recovery Morning Walk and Talk",
        "People in recovery",
        ["addiction", "recovery"],
        F.IN_PERSON,
        "Southampton",
        "en",
        W.SUNDAY,
        9,
        FREQ.WEEKLY,
        "h",
    ),
    (
        "dispatchers-debrief",
        "Dispatchers' Debrief",
        "Emergency call handlers",
        ["ptsd", "shift work", "first responders"],
        F.ONLINE,
        "",
        "en",
        W.MONDAY,
        21,
        FREQ.BIWEEKLY,
        "h",
    ),
    (
        "lotgenoten-rouw",
        "Lotgenoten bij rouw",
        "Nabestaanden",
        ["grief"],
        F.ONLINE,
        "",
        "nl",
        W.TUESDAY,
        19,
        FREQ.MONTHLY,
        "n",
    ),
    (
        "menopause-peer-support",
        "Menopause Peer Support",
        "People going through menopause",
        ["menopause", "sleep", "anxiety"],
        F.IN_PERSON,
        "Manchester",
        "en",
        W.WEDNESDAY,
        12,
        FREQ.MONTHLY,
        "n",
    ),
]


# The demo's groups in other languages describe themselves in that language.
PURPOSES = {
    "en": "A peer support group for {audience}: share, listen and support one another.",
    "fr": "Un groupe d'entraide entre pairs ({audience}) : partager, écouter, se soutenir.",
    "de": "Eine Selbsthilfegruppe ({audience}): teilen, zuhören, einander stützen.",
    "es": "Un grupo de apoyo entre pares ({audience}): compartir, escuchar y apoyarnos.",
    "nl": "Een lotgenotengroep ({audience}): delen, luisteren en elkaar steunen.",
}


def seed_organisations(out) -> dict[str, Organisation]:
    harbour, _ = Organisation.objects.update_or_create(
        slug="harbour-peer-network", defaults=HARBOUR
    )
    northern, _ = Organisation.objects.update_or_create(
        slug="northern-lights-peers", defaults=NORTHERN
    )
    OrganisationRole.objects.get_or_create(
        organisation=harbour, user=demo_user("organizer@example.org"), role="organizer"
    )
    for name, website, description in [
        (
            "Harbour Trauma Clinic",
            "https://traumaclinic.example.org",
            "Therapy for first responders",
        ),
        ("Solent Mind", "https://solentmind.example.org", "Mental health services and advice"),
        ("Quay Street Community Centre", "", "Hosts our in-person meetings"),
    ]:
        PartnerOrganisation.objects.update_or_create(
            organisation=harbour,
            name=name,
            defaults={"website": website, "description": description},
        )
    return {"h": harbour, "n": northern}


def seed_groups(orgs: dict[str, Organisation]) -> dict[str, PeerGroup]:
    h = orgs["h"]
    groups = {
        "fr": _group(
            "first-responders-peer-circle",
            h,
            name="First Responders Peer Circle",
            purpose=FR_PURPOSE,
            audience="First responders: police, fire, ambulance, dispatch",
            objectives="Feel less alone with what the job leaves behind\n"
            "Share ways of coping with sleep, triggers and family life\n"
            "Know when and where to get professional help",
            topics=["ptsd", "first responders", "trauma", "sleep"],
            format=F.HYBRID,
            city="Portsmouth",
            place="Room 2, Quay Street Community Centre, 14 Quay Street, Portsmouth PO1 3AB",
            online_link="https://meet.jit.si/harbour-fr-circle-7f3k2q",
            frequency=FREQ.WEEKLY,
            meeting_day=W.THURSDAY,
            meeting_time=datetime.time(19, 0),
            duration_minutes=90,
            capacity=12,
            join_policy=J.APPROVAL,
            visibility=V.LISTED,
            intake_questions="What brings you to the group?\nWhich service do you work in?",
        ),
        "men": _group(
            "men-talking-online",
            h,
            name="Men Talking: Separation and Grief",
            purpose="An online circle for men going through separation, divorce or loss, "
            "to talk honestly with others who get it.",
            audience="Men after separation or bereavement",
            topics=["men", "separation", "grief", "relationships"],
            format=F.ONLINE,
            online_link="https://meet.jit.si/harbour-men-talking-9d2m",
            frequency=FREQ.BIWEEKLY,
            meeting_day=W.TUESDAY,
            meeting_time=datetime.time(20, 0),
            duration_minutes=75,
            capacity=10,
            join_policy=J.OPEN,
            visibility=V.LISTED,
        ),
        "anx": _group(
            "anxiety-depression-circle",
            h,
            name="Anxiety and Depression Peer Circle",
            purpose="A monthly in-person circle for adults managing anxiety or depression.",
            audience="Adults living with anxiety or depression",
            topics=["anxiety", "depression"],
            format=F.IN_PERSON,
            city="Southampton",
            place="The Garden Room, St Mary's Library, 2 Church Lane, Southampton",
            frequency=FREQ.MONTHLY,
            meeting_day=W.SATURDAY,
            meeting_time=datetime.time(10, 30),
            duration_minutes=120,
            capacity=15,
            join_policy=J.APPROVAL,
            visibility=V.LISTED,
            intake_questions="Is there anything you would like the facilitators to know?",
        ),
        "night": _group(
            "night-shift-check-in",
            h,
            name="Night Shift Check-in",
            purpose="A late check-in for people who work nights. Shared by link only.",
            audience="Night-shift workers",
            topics=["shift work", "sleep"],
            format=F.ONLINE,
            online_link="https://meet.jit.si/harbour-night-shift-4hq1",
            meeting_day=W.FRIDAY,
            meeting_time=datetime.time(23, 0),
            join_policy=J.OPEN,
            visibility=V.UNLISTED,
        ),
        "parents": _group(
            "bereaved-parents-circle",
            h,
            name="Bereaved Parents Circle",
            purpose="A small, closed circle for parents who have lost a child.",
            audience="Bereaved parents",
            topics=["grief", "bereavement"],
            format=F.IN_PERSON,
            city="Portsmouth",
            place="Quiet room, Harbour House, 3 Dock Road, Portsmouth",
            frequency=FREQ.MONTHLY,
            meeting_day=W.SUNDAY,
            meeting_time=datetime.time(15, 0),
            join_policy=J.INVITATION,
            visibility=V.PRIVATE,
        ),
    }
    for slug, name, audience, topics, fmt, city, lang, day, hour, freq, org in MORE_GROUPS:
        groups[slug] = _group(
            slug,
            orgs[org],
            name=name,
            audience=audience,
            topics=topics,
            format=fmt,
            city=city,
            language=lang,
            meeting_day=day,
            meeting_time=datetime.time(hour, 0),
            frequency=freq,
            join_policy=J.APPROVAL if fmt == F.IN_PERSON else J.OPEN,
            purpose=PURPOSES[lang].format(
                audience=audience[0].lower() + audience[1:] if lang == "en" else audience
            ),
            place="Community room (members see the address)" if fmt != F.ONLINE else "",
            online_link="" if fmt == F.IN_PERSON else f"https://meet.jit.si/{slug}-peers",
        )
    return groups


def _membership(group: PeerGroup, email: str, *, role="member", status="active", answers=()):
    user = demo_user(email)
    membership, created = Membership.objects.get_or_create(
        group=group,
        user=user,
        defaults={
            "role": role,
            "status": status,
            "intake_answers": list(answers),
            "joined_at": None if status == "pending" else timezone.now(),
            "break_until": timezone.localdate() + datetime.timedelta(days=30)
            if status == "on_break"
            else None,
        },
    )
    if created:
        MembershipEvent.objects.create(
            membership=membership, to_status=status, role=role, message="Demo data."
        )
    return membership


def seed_memberships(groups: dict[str, PeerGroup]) -> None:
    fr, men, anx = groups["fr"], groups["men"], groups["anx"]
    _membership(fr, "facilitator@example.org", role="facilitator")
    _membership(men, "facilitator@example.org", role="facilitator")
    _membership(fr, "member@example.org")
    _membership(men, "member@example.org")
    _membership(fr, "onbreak@example.org", status="on_break")
    _membership(
        fr,
        "newcomer@example.org",
        status="pending",
        answers=[
            {
                "question": "What brings you to the group?",
                "answer": "Since a difficult call last spring I have not been sleeping well.",
            },
            {"question": "Which service do you work in?", "answer": "Ambulance service."},
        ],
    )
    _membership(anx, "other@example.org")


def seed_concern(groups: dict[str, PeerGroup]) -> int:
    """An open concern in the first-responders circle for its facilitator and the
    organizer to handle (about nobody in particular, so both may triage it)."""
    from groups.models import Concern

    reporter = User.objects.filter(email="member@example.org").first()
    if reporter is None or Concern.objects.filter(group=groups["fr"]).exists():
        return 0
    Concern.objects.create(
        group=groups["fr"],
        reporter=reporter,
        description=(
            "At the end of last week's meeting someone was asked about their call in front "
            "of visitors in the lobby. It felt like our ground rules were not kept."
        ),
    )
    return 1


def seed(out) -> None:
    orgs = seed_organisations(out)
    groups = seed_groups(orgs)
    seed_memberships(groups)
    seed_concern(groups)
    out.write(f"  {len(orgs)} organisations, {len(groups)} groups with members")
    try:  # agreements live in their own module
        demo_agreements = import_module("groups.demo_agreements")
    except ModuleNotFoundError as error:
        if error.name != "groups.demo_agreements":
            raise
        return
    demo_agreements.seed_agreements(out)
