"""factory_boy factories. Each app's issue adds its models here."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from members.models import User

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up account whose email is verified, ready to sign in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.net")
    display_name = factory.Faker("first_name")
    full_name = factory.Faker("name")
    time_zone = "Europe/London"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


# --- groups ---------------------------------------------------------------------------
class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Organisation"

    name = factory.Sequence(lambda n: f"Peer Network {n}")
    slug = factory.Sequence(lambda n: f"peer-network-{n}")
    description = "Volunteer-run peer support."
    contact_email = factory.Sequence(lambda n: f"hello{n}@network.test")


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.PeerGroup"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Thursday Circle {n}")
    slug = factory.Sequence(lambda n: f"thursday-circle-{n}")
    purpose = "A calm space to talk about what is hard."
    objectives = "Feel less alone\nLearn from each other"
    audience = "Adults living with anxiety"
    topics = factory.LazyFunction(lambda: ["anxiety"])
    format = "hybrid"
    city = "Leeds"
    place = factory.Sequence(lambda n: f"Room {n}, Community Centre, 1 Private Lane")
    online_link = factory.Sequence(lambda n: f"https://meet.jit.si/secret-room-{n}")
    meeting_day = 3
    time_zone = "Europe/London"
    join_policy = "approval"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Membership"
        skip_postgeneration_save = True

    group = factory.SubFactory(PeerGroupFactory)
    user = factory.SubFactory(UserFactory)
    status = "active"
    joined_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        # Facilitators must have two-step sign-in (issue 11); mfa=False leaves it out.
        if create and extracted is not False and self.role == "facilitator":
            give_mfa(self.user)


def add_organizer(user, organisation, *, mfa: bool = True):
    from groups.models import OrganisationRole

    role = OrganisationRole.objects.create(user=user, organisation=organisation)
    if mfa:
        give_mfa(user)
    return role


# --- two-step sign-in (issue 11) --------------------------------------------------------
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # test-only


def give_mfa(user):
    """An authenticator app for `user` (facilitators and organizers need one)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)


def totp_code(user) -> str:
    """The current code of `user`'s authenticator, usable again (tests sign in repeatedly)."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from django.core.cache import cache, caches

    code = format_hotp_value(hotp_value(TOTP_SECRET, next(yield_hotp_counters_from_time())))
    key = f"allauth.mfa.totp.used?user={user.pk}&code={code}"
    # The live server's thread has its own cache connection, without the per-test prefix.
    for connection in (cache, caches.create_connection("default")):
        connection.delete(key)
    return code


# --- agreements (issue 5) ---------------------------------------------------------------
AGREEMENT_TEXT = "What is shared here stays here.\nOne person speaks at a time."
ADDENDUM_TEXT = "Join from a private space. Never record the meeting."


def publish_agreement(group, *, text: str = AGREEMENT_TEXT, by=None):
    """Publish the next version of `group`'s agreement (with an addendum when online)."""
    from groups.models import AgreementVersion
    from groups.models.agreements import agreement_content_hash

    addendum = ADDENDUM_TEXT if group.format in {"online", "hybrid"} else ""
    number = AgreementVersion.objects.filter(group=group).count() + 1
    return AgreementVersion.objects.create(
        group=group,
        number=number,
        text=text,
        online_addendum=addendum,
        content_hash=agreement_content_hash(text, addendum),
        published_by=by,
    )


def sign_agreement(user, version):
    from groups.models import Signature

    return Signature.objects.create(
        group=version.group,
        version=version,
        member=user,
        content_hash=version.content_hash,
        typed_name=user.full_name or user.display_name,
        addendum_acknowledged=bool(version.online_addendum),
    )


# --- meetings (issue 6) ---------------------------------------------------------------
class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled meeting a few days ahead, 90 minutes long, in the group's zone."""

    class Meta:
        model = "meetings.Meeting"

    group = factory.SubFactory(PeerGroupFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=3)).replace(
            minute=30, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(minutes=90))
    time_zone = factory.LazyAttribute(lambda m: m.group.time_zone)
    format = factory.LazyAttribute(lambda m: m.group.format)
    capacity = 12
