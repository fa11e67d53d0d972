"""Agreements (issue 5): organisation templates, the group's agreement, signing, managing."""

from tests.access import Row, signed_in

ORGANIZERS = signed_in(404, organizer=200)
INSIDE = signed_in(404, member=200, on_break=200, facilitator=200, organizer=200)
RUNS = signed_in(404, facilitator=200, organizer=200)
RUNS_POST = signed_in(404, facilitator=302, organizer=302)


def _group(w, *more):
    return [w.group.slug, *more]


def _agreement_private(w):
    """The agreement's text is for people inside the group; the place never shows here."""
    return {
        "What is shared here stays here.": {"member", "on_break", "facilitator", "organizer"},
        w.group.place: set(),
        w.group.online_link: set(),
    }


def _signature_private(w):
    return {**_agreement_private(w), w.users["member"].full_name: {"member"}}


ROWS = [
    Row("groups:agreement_templates", ORGANIZERS, args=lambda w: [w.organisation.slug]),
    Row(
        "groups:agreement_template_edit",
        ORGANIZERS,
        args=lambda w: [w.organisation.slug, "ground_rules"],
    ),
    Row("groups:agreement_sign", INSIDE, args=_group, private=_agreement_private),
    Row("groups:agreement_versions", INSIDE, args=_group, private=_agreement_private),
    Row(
        "groups:agreement_version",
        INSIDE,
        args=lambda w: _group(w, w.agreement.number),
        private=_agreement_private,
    ),
    Row(
        "groups:agreement_signed",
        signed_in(404, member=200, on_break=200),
        args=lambda w: _group(w, w.agreement.number),
        private=_signature_private,
        note="only your own signature; facilitators and organizers did not sign here",
    ),
    Row("groups:agreement_propose", INSIDE, args=_group, private=_agreement_private),
    Row(
        "groups:agreement_manage",
        RUNS,
        args=_group,
        private=lambda w: {
            **_agreement_private(w),
            "Could we add a rule on lateness?": {"facilitator", "organizer"},
        },
    ),
    Row("groups:agreement_signatures", RUNS, args=_group, private=_agreement_private),
    Row("groups:agreement_publish", RUNS_POST, args=_group, method="post"),
    Row("groups:agreement_adopt", RUNS_POST, args=_group, method="post"),
    Row(
        "groups:agreement_proposal_decide",
        RUNS_POST,
        args=lambda w: _group(w, w.agreement_proposal.pk),
        method="post",
        data=lambda w: {"status": "accepted"},
    ),
]
