"""Forms of the group space. Posts are plain text: what a member types is shown as typed
(escaped), with its line breaks and links made clickable, never as HTML."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peersupport.forms import submit_helper, text_box
from space.models import (
    BODY_MAX,
    PSEUDONYM_MAX,
    TITLE_MAX,
    GroupSpaceSettings,
    OrganisationSpacePolicy,
    Report,
)

SLOW_MODE_CHOICES = [
    (0, _("Off")),
    (5, _("5 minutes")),
    (15, _("15 minutes")),
    (60, _("1 hour")),
    (240, _("4 hours")),
]
SUSPENSION_DAYS = [(1, _("1 day")), (3, _("3 days")), (7, _("1 week")), (30, _("30 days"))]


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; other control characters are harmless once escaped.
    return value.replace("\x00", "")


class PostForm(forms.Form):
    body = text_box(_("Your message"), rows=5, max_length=BODY_MAX, strip=True)

    def __init__(self, *args, submit_label=None, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Plain text. Links are made clickable. Mention a member with @ and their name."
        )
        self.helper = submit_helper(submit_label or _("Post reply"), name="post")
        if action:
            self.helper.form_action = action

    def clean_body(self) -> str:
        body = _no_nul(self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError(_("Please write a message."))
        return body


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    field_order = ["title", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit_label=_("Start the thread"), **kwargs)

    def clean_title(self) -> str:
        title = _no_nul(self.cleaned_data["title"]).strip()
        if not title:
            raise forms.ValidationError(_("Please give the thread a title."))
        return title


class ReportForm(forms.ModelForm):
    note = text_box(
        _("Anything the facilitators should know (optional)"), required=False, max_length=2000
    )

    class Meta:
        model = Report
        fields = ["reason", "note"]
        widgets = {"reason": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Send to the facilitators"), name="report")

    def clean_note(self) -> str:
        return _no_nul(self.cleaned_data["note"])


class ReviewForm(forms.Form):
    DECISIONS = [
        ("approve", _("Approve")),
        ("restore", _("Restore")),
        ("remove", _("Remove")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS)
    reason = forms.CharField(required=False, max_length=2000)

    def clean_reason(self) -> str:
        return _no_nul(self.cleaned_data["reason"])


class ThreadModerationForm(forms.Form):
    pinned = forms.BooleanField(label=_("Pinned to the top of the board"), required=False)
    locked = forms.BooleanField(label=_("Locked: no new replies"), required=False)
    slow_mode_minutes = forms.TypedChoiceField(
        label=_("Slow mode"), choices=SLOW_MODE_CHOICES, coerce=int, initial=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save thread settings"), name="thread")


class SuspendForm(forms.Form):
    days = forms.TypedChoiceField(label=_("For"), choices=SUSPENSION_DAYS, coerce=int)
    reason = text_box(_("Reason (sent to them)"), rows=3, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Suspend from posting"), name="suspend")

    def clean_reason(self) -> str:
        reason = _no_nul(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Please give a reason: it is sent to them."))
        return reason


class ParticipantForm(forms.Form):
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=PSEUDONYM_MAX, required=False)
    use_pseudonym = forms.BooleanField(label=_("Post under my pseudonym"), required=False)
    reads_on_break = forms.BooleanField(
        label=_("Keep reading the space while I'm on a break (you get no notifications)"),
        required=False,
    )

    def __init__(self, *args, pseudonyms_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not pseudonyms_allowed:
            del self.fields["pseudonym"], self.fields["use_pseudonym"]
        self.helper = submit_helper(_("Save"), name="save")

    def clean_pseudonym(self) -> str:
        return _no_nul(self.cleaned_data["pseudonym"]).strip()


class GroupSpaceSettingsForm(forms.ModelForm):
    class Meta:
        model = GroupSpaceSettings
        fields = ["pseudonyms_allowed", "approve_first_posts"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"), name="save")


class PolicyForm(forms.ModelForm):
    watched_phrases = text_box(
        _("Watched words and phrases"),
        rows=14,
        required=False,
        max_length=20000,
        help_text=_("One per line. Capitals, accents, spaces and punctuation are ignored."),
    )

    class Meta:
        model = OrganisationSpacePolicy
        fields = ["watched_phrases", "on_match", "post_retention_days"]
        widgets = {"on_match": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"), name="save")

    def clean_watched_phrases(self) -> str:
        return _no_nul(self.cleaned_data["watched_phrases"])
