"""What deleting an account means for groups: registered with `members.hooks` from
`GroupsConfig.ready`, since the members app that runs the deletion sits below groups."""

from __future__ import annotations

from django.utils.translation import gettext as _

from groups.models import AuditEntry, Membership, PeerGroup, Signature
from members.hooks import account_delete_register
from members.services.data import FORMER_MEMBER
from peersupport.cache_scopes import renew_rows


def _sole_facilitator_groups(user) -> list[str]:
    mine = Membership.objects.filter(
        user=user, role=Membership.Role.FACILITATOR, status=Membership.Status.ACTIVE
    ).exclude(group__status=PeerGroup.Status.ARCHIVED)
    lonely = mine.exclude(
        group__memberships__in=Membership.objects.filter(
            role=Membership.Role.FACILITATOR, status=Membership.Status.ACTIVE
        ).exclude(user=user)
    )
    return sorted(lonely.values_list("group__name", flat=True))


def account_delete_refusal(user) -> str:
    """Deleting now would leave a group without a facilitator: say which, or ""."""
    groups = _sole_facilitator_groups(user)
    if not groups:
        return ""
    return _(
        "You are the only facilitator of %(groups)s. Please hand over to another "
        "facilitator (or ask your organizer to) before deleting your account."
    ) % {"groups": ", ".join(groups)}


def memberships_empty(user) -> None:
    """Memberships stay (a group's history reads "Former member") but end and forget."""
    # `.update()` sends no signal: renew what saving each membership would.
    renew_rows(Membership.objects.filter(user=user).select_related("group"))
    Membership.objects.filter(user=user).filter(
        status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING, Membership.Status.ON_BREAK]
    ).update(status=Membership.Status.LEFT)
    Membership.objects.filter(user=user).update(intake_answers=[], willing_to_mentor=False)


def signatures_blank(user) -> None:
    """Signatures stay (the group's record) but the typed name goes, as the model says."""
    renew_rows(Signature.objects.filter(member=user))
    Signature.objects.filter(member=user).update(typed_name="")


def audit_scrub(user) -> None:
    """Audit entries stay (they are evidence) but no longer say who the person was."""
    AuditEntry.objects.filter(subject=user).update(subject=None, target_repr=FORMER_MEMBER)


def hooks_register() -> None:
    # The steps run before the deletion unlinks the account's rows (signatures and audit
    # entries point at it with SET_NULL, and are found through that link).
    account_delete_register(
        check=account_delete_refusal, steps=[memberships_empty, signatures_blank, audit_scrub]
    )
