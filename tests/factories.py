"""factory_boy factories. Each app's issue adds its models here."""

from __future__ import annotations

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

    group = factory.SubFactory(PeerGroupFactory)
    user = factory.SubFactory(UserFactory)
    status = "active"
    joined_at = factory.LazyFunction(timezone.now)


def add_organizer(user, organisation):
    from groups.models import OrganisationRole

    return OrganisationRole.objects.create(user=user, organisation=organisation)
