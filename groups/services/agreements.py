"""Writes about agreements: templates, drafts, publishing versions, signing, proposals."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.agreement_defaults import default_text
from groups.models import (
    AgreementDraft,
    AgreementProposal,
    AgreementTemplate,
    AgreementVersion,
    Membership,
    Organisation,
    PeerGroup,
    Signature,
)
from groups.models.agreements import agreement_content_hash
from groups.selectors.agreements import (
    can_sign_agreement,
    current_agreement_version,
    forget_agreement_status,
    needs_online_addendum,
)
from members.models import User
from members.notifications import notify_many
from peersupport.audit import audit_record
from peersupport.errors import DomainError


# --- Organisation templates --------------------------------------------------------------
def agreement_templates_ensure(*, organisation: Organisation) -> list[AgreementTemplate]:
    """Give the organisation the default text of every kind it does not have yet."""
    existing = {t.kind: t for t in AgreementTemplate.objects.filter(organisation=organisation)}
    for kind in AgreementTemplate.Kind.values:
        if kind not in existing:
            existing[kind], _created = AgreementTemplate.objects.get_or_create(
                organisation=organisation, kind=kind, defaults={"text": default_text(kind)}
            )
    return [existing[kind] for kind in AgreementTemplate.Kind.values]


def agreement_template_update(*, template: AgreementTemplate, text: str, user: User):
    text = text.strip()
    if not text:
        raise DomainError(_("A template needs some text. Nothing was changed."))
    template.text = text
    template.updated_by = user
    template.updated_at = timezone.now()
    template.save(update_fields=["text", "updated_by", "updated_at"])
    return template


# --- A group's draft -----------------------------------------------------------------------
def _texts_from_templates(group: PeerGroup) -> tuple[str, str]:
    templates = {
        t.kind: t.text for t in agreement_templates_ensure(organisation=group.organisation)
    }
    text = templates["confidentiality"].strip() + "\n\n" + templates["ground_rules"].strip()
    addendum = templates["online_addendum"].strip() if needs_online_addendum(group) else ""
    return text, addendum


def agreement_draft_get_or_create(*, group: PeerGroup) -> AgreementDraft:
    """The group's draft; a group without one starts from its organisation's templates
    (or, once it has published, from its current version)."""
    draft = AgreementDraft.objects.filter(group=group).first()
    if draft is not None:
        return draft
    current = current_agreement_version(group)
    if current is not None:
        text, addendum = current.text, current.online_addendum
    else:
        text, addendum = _texts_from_templates(group)
    draft, _created = AgreementDraft.objects.get_or_create(
        group=group, defaults={"text": text, "online_addendum": addendum}
    )
    return draft


def agreement_draft_adopt_templates(*, group: PeerGroup, user: User) -> AgreementDraft:
    """Replace the draft with the organisation's current templates (published versions and
    signatures are untouched)."""
    draft = agreement_draft_get_or_create(group=group)
    draft.text, draft.online_addendum = _texts_from_templates(group)
    draft.updated_by, draft.updated_at = user, timezone.now()
    draft.save()
    return draft


def agreement_draft_update(
    *, group: PeerGroup, text: str, online_addendum: str, user: User
) -> AgreementDraft:
    if not text.strip():
        raise DomainError(_("The agreement needs some text. Your draft was not saved."))
    draft = agreement_draft_get_or_create(group=group)
    draft.text = text.strip()
    draft.online_addendum = online_addendum.strip() if needs_online_addendum(group) else ""
    draft.updated_by, draft.updated_at = user, timezone.now()
    draft.save()
    return draft


# --- Publishing ----------------------------------------------------------------------------
@transaction.atomic
def agreement_publish(*, group: PeerGroup, user: User) -> AgreementVersion:
    """Publish the draft as the next version (1..n without gaps) and ask members who
    signed an older version to sign again.

    The group row is locked so two facilitators publishing at once get consecutive
    numbers; the unique (group, number) constraint backs this up.
    """
    PeerGroup.objects.select_for_update().only("pk").get(pk=group.pk)
    draft = agreement_draft_get_or_create(group=group)
    addendum = draft.online_addendum.strip() if needs_online_addendum(group) else ""
    if needs_online_addendum(group) and not addendum:
        raise DomainError(_("Online and hybrid groups need an online addendum."))
    content_hash = agreement_content_hash(draft.text, addendum)
    latest = AgreementVersion.objects.filter(group=group).order_by("-number").first()
    if latest is not None and latest.content_hash == content_hash:
        raise DomainError(
            _("The draft is the same as version %(number)s, so nothing was published.")
            % {"number": latest.number}
        )
    version = AgreementVersion.objects.create(
        group=group,
        number=(latest.number if latest else 0) + 1,
        text=draft.text.strip(),
        online_addendum=addendum,
        content_hash=content_hash,
        published_by=user,
    )
    group._ps_current_agreement = version
    audit_record(
        actor=user,
        action="agreement_published",
        organisation=group.organisation_id,
        target_repr=f"{group.name} v{version.number}",
    )
    forget_agreement_status(user)
    if latest is not None:
        agreement_request_resignatures(version=version)
    return version


def agreement_resign_recipients(*, version: AgreementVersion):
    """Members taking part who signed an older version and not this one."""
    older = Signature.objects.filter(group_id=version.group_id, version__number__lt=version.number)
    return (
        User.objects.filter(
            is_active=True,
            memberships__group_id=version.group_id,
            memberships__status__in=Membership.TAKING_PART,
            pk__in=older.values("member_id"),
        )
        .exclude(agreement_signatures__version=version)
        .distinct()
    )


def agreement_request_resignatures(*, version: AgreementVersion) -> None:
    """Email (through the notification layer, after commit, exactly once) everyone who
    signed an earlier version; the ledger row per (version, member) stops repeats."""
    sign_url = settings.SITE_URL + reverse("groups:agreement_sign", args=[version.group.slug])
    notify_many(
        kind="agreement_resign",
        recipients=agreement_resign_recipients(version=version),
        about=version,
        context={"sign_url": sign_url},
    )


# --- Signing -------------------------------------------------------------------------------
def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


@transaction.atomic
def signature_create(
    *,
    group: PeerGroup,
    user: User,
    version_number: int,
    typed_name: str,
    consent: bool,
    addendum_acknowledged: bool,
) -> Signature:
    """Sign the current version. Signing twice returns the first signature unchanged."""
    if not can_sign_agreement(user, group):
        raise DomainError(_("Only members of this group can sign its agreement."))
    current = AgreementVersion.objects.filter(group=group).order_by("-number").first()
    if current is None:
        raise DomainError(_("This group has no agreement to sign yet."))
    if current.number != version_number:
        raise DomainError(_("A new version was published, please read it again before you sign."))
    _check_consent(current, consent, addendum_acknowledged)
    typed_name = " ".join(typed_name.split())
    if not typed_name:
        raise DomainError(_("Please type your name to sign."))
    if user.full_name.strip() and _normalised(typed_name) != _normalised(user.full_name):
        raise DomainError(
            _(
                "The name you typed does not match the full name on your profile. "
                "Please type it as it appears there, or update your profile first."
            )
        )
    signature, _created = Signature.objects.get_or_create(
        version=current,
        member=user,
        defaults={
            "group": group,
            "content_hash": current.content_hash,
            "typed_name": typed_name,
            "addendum_acknowledged": bool(current.online_addendum and addendum_acknowledged),
        },
    )
    forget_agreement_status(user)
    return signature


def _check_consent(version: AgreementVersion, consent: bool, addendum_acknowledged: bool) -> None:
    # The version decides, not the group's format today: what was published is what is read.
    if not consent:
        raise DomainError(_("Please tick the box to say you agree."))
    if version.online_addendum and not addendum_acknowledged:
        raise DomainError(_("Please tick the box to say you have read the online addendum."))


# --- Proposals -----------------------------------------------------------------------------
def agreement_proposal_create(*, group: PeerGroup, user: User, text: str) -> AgreementProposal:
    text = text.strip()
    if not text:
        raise DomainError(_("Please write your proposal before sending it."))
    return AgreementProposal.objects.create(group=group, author=user, text=text)


@transaction.atomic
def agreement_proposal_decide(
    *, proposal: AgreementProposal, user: User, status: str
) -> AgreementProposal:
    if status not in {AgreementProposal.Status.ACCEPTED, AgreementProposal.Status.DECLINED}:
        raise DomainError(_("Please choose to accept or decline the proposal."))
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal
