"""Forms for agendas, agenda templates, roles and the live view."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peersupport.forms import button_helper
from sessions.models import MeetingRole
from sessions.services.agenda import MAX_ITEM_MINUTES
from sessions.services.live import SPEAKER_ACTIONS


class VersionForm(forms.Form):
    """Every agenda change carries the version its editor saw (two editors at once)."""

    agenda_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


ITEM_FIELDS = ("title", "objective", "minutes", "flexible")


class AgendaItemForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=120)
    objective = forms.CharField(
        label=_("Objective"),
        max_length=300,
        required=False,
        help_text=_("What this part of the meeting is for, so members can prepare."),
    )
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MAX_ITEM_MINUTES,
        error_messages={"min_value": _("Give each agenda item at least one minute.")},
    )
    flexible = forms.BooleanField(
        label=_("Flexible (can be shortened if time runs short)"), required=False
    )

    def __init__(self, *args, action: str, submit_label, form_id: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = button_helper(submit_label, action=action, target="#agenda-editor")
        self.helper.form_id = form_id
        # Unique ids: the add form and an edit form can be on the page together.
        self.auto_id = f"{form_id}-%s"

    def item_fields(self) -> dict:
        """What the agenda services take for an item, as entered."""
        return {name: self.cleaned_data[name] for name in ITEM_FIELDS}


class MoveForm(VersionForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class ReorderForm(VersionForm):
    order = forms.CharField(max_length=2000)

    def clean_order(self) -> list[int]:
        parts = [p for p in self.cleaned_data["order"].split(",") if p.strip()]
        if not parts or not all(p.strip().isdigit() for p in parts):
            raise forms.ValidationError(_("The new order could not be read."))
        return [int(p) for p in parts]


class SaveAsTemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=120)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = button_helper(_("Keep as a template"), action=action, css="btn-outline-dark")
        self.auto_id = "save-template-%s"


class ApplyTemplateForm(VersionForm):
    template = forms.TypedChoiceField(label=_("Start again from"), coerce=int)

    def __init__(self, *args, action: str, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, t.name) for t in templates]
        self.helper = button_helper(_("Replace the agenda"), action=action, css="btn-outline-dark")
        self.helper.attrs = {"data-confirm": _("Replace every item of this agenda?")}
        self.auto_id = "apply-template-%s"


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=120)


class TemplateItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    objective = forms.CharField(label=_("Objective"), max_length=300, required=False)
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MAX_ITEM_MINUTES,
        error_messages={"min_value": _("Give each agenda item at least one minute.")},
    )
    flexible = forms.BooleanField(label=_("Flexible"), required=False)


TemplateItemFormSet = forms.formset_factory(
    TemplateItemForm, extra=2, can_delete=True, max_num=40, validate_max=True
)


class WillingnessForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles I'm happy to take"),
        choices=MeetingRole.Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "You can change this at any time. Facilitators always ask before a meeting "
            "and you are never suggested while on a break."
        ),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = button_helper(_("Save my choices"), action=action)


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(choices=MeetingRole.Role.choices, widget=forms.HiddenInput)
    user = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(self, *args, people, action: str, role: str, role_label, **kwargs):
        super().__init__(*args, **kwargs)
        # No preselected person unless someone holds or is suggested for the role, so a
        # hasty "Confirm" never gives it to whoever happens to be first in the list.
        choices = [(p.pk, p.display_name) for p in people]
        if not self.initial.get("user"):
            choices.insert(0, ("", _("Choose a person")))
        self.fields["user"].choices = choices
        self.fields["user"].label = _("%(role)s for this meeting") % {"role": role_label}
        self.helper = button_helper(_("Confirm"), action=action)
        self.helper.form_id = f"assign-{role}"
        self.auto_id = f"assign-{role}-%s"


class RoleRemoveForm(forms.Form):
    role = forms.ChoiceField(choices=MeetingRole.Role.choices)


class LiveStepForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("start", "start"), ("next", "next"), ("previous", "previous")]
    )


class LiveSpeakersForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in SPEAKER_ACTIONS])


class CheckinForm(forms.Form):
    user = forms.IntegerField(min_value=1)
    present = forms.BooleanField(required=False)
