"""Facilitator debriefs and their escalation to the safeguarding lead."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import OrganisationRole
from peersupport.audit import audit_record
from peersupport.errors import DomainError
from sessions.models import Debrief, Meeting


@transaction.atomic
def debrief_save(
    *, meeting: Meeting, author, how_it_went: str, concerns: str, escalate: bool
) -> Debrief:
    """Write or update the meeting's debrief; escalating opens it for the safeguarding lead."""
    if meeting.starts_at > timezone.now():
        raise DomainError(_("A debrief is written after the meeting has started."))
    debrief, _created = Debrief.objects.select_for_update().get_or_create(
        meeting=meeting, defaults={"author": author, "how_it_went": how_it_went}
    )
    debrief.how_it_went, debrief.concerns = how_it_went, concerns
    debrief.updated_at = timezone.now()
    if escalate and debrief.escalation == Debrief.Escalation.NONE:
        if not safeguarding_leads_exist(organisation_id=meeting.group.organisation_id):
            raise DomainError(
                _("Your organisation has no safeguarding lead yet: please ask an organizer.")
            )
        debrief.escalation = Debrief.Escalation.OPEN
        audit_record(
            actor=author,
            action="debrief_escalated",
            organisation=meeting.group.organisation_id,
            target_repr=_("debrief of meeting %(pk)s") % {"pk": meeting.pk},
        )
        debrief.save()
        _tell_safeguarding_leads(debrief, author=author)
        return debrief
    debrief.save()
    return debrief


def _tell_safeguarding_leads(debrief: Debrief, *, author) -> None:
    from groups.selectors.roster import organisation_people
    from groups.services.safety import absolute_url, notify_people

    organisation = debrief.meeting.group.organisation
    leads = organisation_people(organisation.pk, OrganisationRole.Role.SAFEGUARDING_LEAD)
    notify_people(
        "escalation_opened",
        leads.exclude(pk=author.pk),
        about=debrief,
        context={
            "organisation": organisation,
            "escalations_url": absolute_url("meetings:escalations", organisation.slug),
        },
    )


def safeguarding_leads_exist(*, organisation_id: int) -> bool:
    return OrganisationRole.objects.filter(
        organisation_id=organisation_id, role=OrganisationRole.Role.SAFEGUARDING_LEAD
    ).exists()


@transaction.atomic
def escalation_close(*, debrief: Debrief, by, outcome: str) -> Debrief:
    debrief = Debrief.objects.select_for_update().get(pk=debrief.pk)
    if debrief.escalation != Debrief.Escalation.OPEN:
        raise DomainError(_("This escalation is not open."))
    if not outcome.strip():
        raise DomainError(_("Please write the outcome before closing."))
    debrief.escalation = Debrief.Escalation.CLOSED
    debrief.escalation_outcome, debrief.closed_by = outcome.strip(), by
    debrief.closed_at = timezone.now()
    debrief.save()
    return debrief
