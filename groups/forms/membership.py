"""Forms for joining, requests, invitations, breaks, removal and mentor pairing."""

from __future__ import annotations

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import Membership
from peersupport.forms import SubmitFormMixin, button_helper, text_box

ANSWER_MAX = 2000
MESSAGE_MAX = 2000

APPROVE_TEXT = _(
    "Welcome to the group! We're glad you reached out. Have a look at the group's page "
    "for the next meeting, and feel free to come as you are."
)
DECLINE_TEXT = _(
    "Thank you for reaching out, and for your openness. We can't offer you a place in "
    "this group right now. This says nothing about you: other groups in the directory "
    "may suit you better, and you are welcome to contact us with any questions."
)
REMOVE_TEXT = _(
    "We have ended your membership of the group. If you would like to talk about this, "
    "please contact the facilitators."
)


# The membership forms' buttons are called "submit".
_helper = partial(button_helper, name="submit")


class JoinForm(forms.Form):
    """The facilitator's intake questions (if any) become one text field each."""

    def __init__(self, *args, questions: list[str], submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"answer_{index}"] = text_box(
                question,
                max_length=ANSWER_MAX,
                help_text=_("Only the group's facilitators read your answer."),
            )
        self.helper = _helper(submit_label, name="join")

    def answers(self) -> list[tuple[str, str]]:
        return [
            (question, self.cleaned_data[f"answer_{index}"].strip())
            for index, question in enumerate(self.questions)
        ]


class DecisionForm(forms.Form):
    """Approve or decline one request, with an editable kind message."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.HiddenInput,
    )
    message = text_box(_("Message to the person"), max_length=MESSAGE_MAX, required=False)

    def __init__(self, *args, action: str, decision: str, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "decision": decision,
                "message": APPROVE_TEXT if decision == "approve" else DECLINE_TEXT,
            },
        )
        super().__init__(*args, **kwargs)
        label = _("Approve and send") if decision == "approve" else _("Decline and send")
        css = "btn-primary" if decision == "approve" else "btn-outline-dark"
        self.helper = _helper(label, action=action, css=css)


class BreakForm(forms.Form):
    until = forms.DateField(
        label=_("Back on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if you don't know yet. Nobody will chase you."),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Take a break"), action=action, css="btn-outline-primary")


class RemoveForm(forms.Form):
    message = text_box(
        _("Message to the person"), max_length=MESSAGE_MAX, initial=REMOVE_TEXT, rows=4
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Remove from the group"), css="btn-danger")


class InvitationForm(SubmitFormMixin, forms.Form):
    submit_label = _("Create invitation link")
    submit_name = "submit"

    single_use = forms.TypedChoiceField(
        label=_("Who can use the link"),
        choices=[("1", _("One person (single use)")), ("0", _("Several people"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, initial=7)
    note = forms.CharField(
        label=_("Note for yourself (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example who you will send it to. Only facilitators see it."),
    )


class PairingForm(forms.Form):
    mentee = forms.ModelChoiceField(label=_("Newcomer"), queryset=Membership.objects.none())
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Membership.objects.none())

    def __init__(self, *args, newcomers, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = newcomers
        self.fields["mentor"].queryset = mentors
        self.fields["mentee"].label_from_instance = lambda m: m.user.display_name
        self.fields["mentor"].label_from_instance = lambda m: m.user.display_name
        self.helper = _helper(_("Pair them"))


class MentorWillingForm(forms.Form):
    willing = forms.BooleanField(label=_("I'm happy to mentor newcomers"), required=False)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"), action=action, css="btn-outline-primary")


class MentorMessageForm(SubmitFormMixin, forms.Form):
    submit_label = _("Send")
    submit_name = "submit"

    message = text_box(
        _("Your message"),
        max_length=2000,
        rows=5,
        help_text=_(
            "Sent by email from peersupport: they see your display name, never your email "
            "address, and you never see theirs. Please don't share anything you would not "
            "want kept in an email."
        ),
    )
