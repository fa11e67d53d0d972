"""A meeting's agenda (edited with htmx, no page reload) and the groups' agenda templates."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from groups.views.base import GroupPermissionMixin
from peersupport.actions import ActionView
from peersupport.errors import DomainError
from sessions.forms.agenda import (
    AgendaItemForm,
    ApplyTemplateForm,
    MoveForm,
    ReorderForm,
    SaveAsTemplateForm,
    TemplateForm,
    TemplateItemFormSet,
    VersionForm,
)
from sessions.models import AgendaItem, AgendaTemplate
from sessions.selectors import agenda as selectors_agenda
from sessions.services import agenda as agenda_services
from sessions.views import MeetingPermissionMixin, is_htmx

EDITOR = "meetings/agenda/fragments/agenda_editor.html"
PAGE = "meetings/agenda/agenda_edit.html"


class MeetingAgendaMixin(MeetingPermissionMixin):
    permission = "meetings.agenda_edit"

    def item_or_404(self) -> AgendaItem:
        item = AgendaItem.objects.filter(pk=self.kwargs["item_pk"], meeting=self.meeting).first()
        if item is None:
            raise Http404
        item.meeting = self.meeting
        return item

    def add_form(self, data=None) -> AgendaItemForm:
        return AgendaItemForm(
            data,
            initial={"agenda_version": self.meeting.agenda_version},
            action=reverse("meetings:agenda_item_add", args=[self.meeting.pk]),
            submit_label=_("Add item"),
            form_id="agenda-add",
        )

    def edit_form(self, item: AgendaItem, data=None) -> AgendaItemForm:
        initial = {
            "agenda_version": self.meeting.agenda_version,
            "title": item.title,
            "objective": item.objective,
            "minutes": item.minutes,
            "flexible": item.flexible,
        }
        return AgendaItemForm(
            data,
            initial=initial,
            action=reverse("meetings:agenda_item_edit", args=[self.meeting.pk, item.pk]),
            submit_label=_("Save item"),
            form_id=f"agenda-edit-{item.pk}",
        )

    def editor_context(self, **extra) -> dict:
        self.meeting.refresh_from_db(fields=["agenda_version"])
        items = selectors_agenda.agenda_items(self.meeting)
        context = {
            "meeting": self.meeting,
            "items": items,
            "summary": selectors_agenda.agenda_summary(self.meeting, items),
            "version": self.meeting.agenda_version,
            "add_form": self.add_form(),
            "editing": None,
            "edit_form": None,
            "error": "",
            "status_message": "",
            "fragment": is_htmx(self.request),
            "editable": agenda_services.agenda_editable(self.meeting),
        }
        context.update(extra)
        return context

    def page_context(self, **extra) -> dict:
        context = self.editor_context(**extra)
        templates = selectors_agenda.agenda_templates_choosable(self.meeting.group)
        base = [self.meeting.pk]
        context.update(
            group=self.meeting.group,
            has_templates=bool(templates),
            apply_form=ApplyTemplateForm(
                initial={"agenda_version": context["version"]},
                action=reverse("meetings:agenda_apply_template", args=base),
                templates=templates,
            ),
            save_form=SaveAsTemplateForm(
                action=reverse("meetings:agenda_save_template", args=base)
            ),
        )
        return context

    def respond(self, **extra):
        """The editor fragment for htmx; the whole page otherwise (works without JS)."""
        if is_htmx(self.request):
            return render(self.request, EDITOR, self.editor_context(**extra))
        return render(self.request, PAGE, self.page_context(**extra))

    def done(self, message: str):
        if is_htmx(self.request):
            return self.respond(status_message=message)
        messages.success(self.request, message)
        return redirect("meetings:agenda", self.meeting.pk)

    def keep_typing(self, posted):
        """Their input again, on the current version, so nothing typed is lost."""
        data = posted.copy()
        self.meeting.refresh_from_db(fields=["agenda_version"])
        data["agenda_version"] = str(self.meeting.agenda_version)
        return data

    def refused(self, error: DomainError, **extra):
        """A stale version or a broken rule: say why, and show the agenda as it is now."""
        return self.respond(error=error.message, status_message=error.message, **extra)


class AgendaView(MeetingAgendaMixin, TemplateView):
    template_name = PAGE

    def get(self, request, *args, **kwargs):
        return self.respond()


class AgendaItemAddView(MeetingAgendaMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = self.add_form(request.POST)
        if not form.is_valid():
            return self.respond(add_form=form)
        version = form.cleaned_data["agenda_version"]
        try:
            item = agenda_services.agenda_item_add(
                meeting=self.meeting, version=version, **form.item_fields()
            )
        except DomainError as error:
            return self.refused(error, add_form=self.add_form(self.keep_typing(request.POST)))
        return self.done(_("Added “%(title)s” to the agenda.") % {"title": item.title})


class AgendaItemEditView(MeetingAgendaMixin, View):
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        item = self.item_or_404()
        return self.respond(editing=item.pk, edit_form=self.edit_form(item))

    def post(self, request, *args, **kwargs):
        item = self.item_or_404()
        form = self.edit_form(item, request.POST)
        if not form.is_valid():
            return self.respond(editing=item.pk, edit_form=form)
        version = form.cleaned_data["agenda_version"]
        try:
            agenda_services.agenda_item_update(item=item, version=version, **form.item_fields())
        except DomainError as error:
            fresh = self.edit_form(item, self.keep_typing(request.POST))
            return self.refused(error, editing=item.pk, edit_form=fresh)
        return self.done(_("Saved “%(title)s”.") % {"title": item.title})


class _AgendaChangeView(MeetingAgendaMixin, View):
    """POST only: one change to the agenda as it was when the form was shown.

    Unreadable input says `invalid_message`; a refused change (another facilitator was
    quicker, or a rule) shows the agenda as it is now; htmx gets the editor back.
    """

    http_method_names = ["post"]
    form_class = VersionForm
    invalid_message = gettext_lazy("Please reload the page and try again.")

    def act(self, form) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.respond(error=self.invalid_message)
        try:
            done = self.act(form)
        except DomainError as error:
            return self.refused(error)
        return self.done(done)


class _AgendaItemChangeView(_AgendaChangeView):
    def post(self, request, *args, **kwargs):
        self.item = self.item_or_404()
        return super().post(request, *args, **kwargs)


class AgendaItemDeleteView(_AgendaItemChangeView):
    def act(self, form):
        version = form.cleaned_data["agenda_version"]
        agenda_services.agenda_item_delete(item=self.item, version=version)
        return _("Removed “%(title)s” from the agenda.") % {"title": self.item.title}


class AgendaItemMoveView(_AgendaItemChangeView):
    form_class = MoveForm

    def act(self, form):
        item, offset = self.item, -1 if form.cleaned_data["direction"] == "up" else 1
        agenda_services.agenda_item_move(
            item=item, version=form.cleaned_data["agenda_version"], offset=offset
        )
        position = [i.pk for i in selectors_agenda.agenda_items(self.meeting)].index(item.pk) + 1
        return _("Moved “%(title)s” to position %(position)s.") % {
            "title": item.title,
            "position": position,
        }


class AgendaReorderView(_AgendaChangeView):
    form_class = ReorderForm
    invalid_message = gettext_lazy("The new order could not be read. Please try again.")

    def act(self, form):
        agenda_services.agenda_reorder(
            meeting=self.meeting,
            version=form.cleaned_data["agenda_version"],
            item_ids=form.cleaned_data["order"],
        )
        return _("The new order is saved.")


class _AgendaActionView(MeetingAgendaMixin, ActionView):
    def get_success_url(self) -> str:
        return reverse("meetings:agenda", args=[self.meeting.pk])


class AgendaApplyTemplateView(_AgendaActionView):
    invalid_message = gettext_lazy("Please choose one of the templates listed.")
    form_class = ApplyTemplateForm

    def get_form_kwargs(self):
        self.templates = selectors_agenda.agenda_templates_choosable(self.meeting.group)
        return {"action": "", "templates": self.templates}

    def act(self, form):
        template = next(t for t in self.templates if t.pk == form.cleaned_data["template"])
        agenda_services.agenda_apply_template(
            meeting=self.meeting, version=form.cleaned_data["agenda_version"], template=template
        )
        return _("The agenda now follows “%(name)s”.") % {"name": template}


class AgendaSaveTemplateView(_AgendaActionView):
    invalid_message = gettext_lazy("Give the template a name.")
    form_class = SaveAsTemplateForm

    def get_form_kwargs(self):
        return {"action": ""}

    def act(self, form):
        template = agenda_services.agenda_template_create_from_meeting(
            meeting=self.meeting, name=form.cleaned_data["name"]
        )
        return _("Saved as the template “%(name)s”.") % {"name": template}

    def get_success_url(self) -> str:
        return reverse("meetings:agenda_templates", args=[self.meeting.group.slug])

    def get_failure_url(self) -> str:
        return _AgendaActionView.get_success_url(self)


# --- Templates --------------------------------------------------------------------------
class GroupTemplatesMixin(GroupPermissionMixin):
    permission = "meetings.agenda_templates"

    def template_or_404(self, *, builtin_ok: bool = False) -> AgendaTemplate:
        template = selectors_agenda.agenda_template_with_items(self.kwargs["template_pk"])
        allowed = {self.group.pk, None} if builtin_ok else {self.group.pk}
        if template is None or template.group_id not in allowed:
            raise Http404
        return template

    def back(self) -> HttpResponseRedirect:
        return redirect("meetings:agenda_templates", self.group.slug)


class AgendaTemplateListView(GroupTemplatesMixin, TemplateView):
    template_name = "meetings/agenda/template_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            group=self.group,
            templates=list(selectors_agenda.agenda_templates_of(self.group)),
            builtins=list(selectors_agenda.agenda_templates_builtin()),
            **kwargs,
        )


class _TemplateActionView(GroupTemplatesMixin, ActionView):
    def get_success_url(self) -> str:
        return reverse("meetings:agenda_templates", args=[self.group.slug])


class AgendaTemplateCopyView(_TemplateActionView):
    def act(self, form):
        source = self.template_or_404(builtin_ok=True)
        self.template = agenda_services.agenda_template_copy(group=self.group, source=source)
        return _("“%(name)s” is ready to adapt.") % {"name": self.template}

    def get_success_url(self) -> str:
        args = [self.group.slug, self.template.pk]
        return reverse("meetings:agenda_template_edit", args=args)


class AgendaTemplateDefaultView(_TemplateActionView):
    def act(self, form):
        template = self.template_or_404()
        agenda_services.agenda_template_set_default(template=template)
        return _("New meetings will start from “%(name)s”.") % {"name": template}


class AgendaTemplateDeleteView(_TemplateActionView):
    def act(self, form):
        template = self.template_or_404()
        agenda_services.agenda_template_delete(template=template)
        return _("Deleted the template “%(name)s”.") % {"name": template}


class AgendaTemplateEditView(GroupTemplatesMixin, TemplateView):
    template_name = "meetings/agenda/template_edit.html"

    def get(self, request, *args, **kwargs):
        template = self.template_or_404()
        items = [
            {
                "title": i.title,
                "objective": i.objective,
                "minutes": i.minutes,
                "flexible": i.flexible,
            }
            for i in template.items.all()
        ]
        form = TemplateForm(initial={"name": template.name})
        formset = TemplateItemFormSet(initial=items, prefix="items")
        return self.render_page(template, form, formset)

    def post(self, request, *args, **kwargs):
        template = self.template_or_404()
        form = TemplateForm(request.POST)
        formset = TemplateItemFormSet(request.POST, prefix="items")
        if not (form.is_valid() and formset.is_valid()):
            return self.render_page(template, form, formset)
        items = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        items = [{k: v for k, v in data.items() if k != "DELETE"} for data in items]
        try:
            agenda_services.agenda_template_update(
                template=template, name=form.cleaned_data["name"], items=items
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_page(template, form, formset)
        messages.success(request, _("Saved the template “%(name)s”.") % {"name": template})
        return self.back()

    def render_page(self, template, form, formset):
        context = self.get_context_data(
            group=self.group, template=template, form=form, formset=formset
        )
        return self.render_to_response(context)
