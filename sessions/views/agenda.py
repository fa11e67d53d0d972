"""A meeting's agenda (edited with htmx, no page reload) and the groups' agenda templates."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin
from sessions.forms_agenda import (
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
from sessions.views import group_or_404, is_htmx, meeting_or_404

EDITOR = "meetings/agenda/fragments/agenda_editor.html"
PAGE = "meetings/agenda/agenda_edit.html"


class MeetingAgendaMixin(PermissionMixin):
    permission = "meetings.agenda_edit"

    def get_permission_object(self):
        self.meeting = meeting_or_404(self.kwargs["pk"])
        return self.meeting

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
        data = form.cleaned_data
        try:
            item = agenda_services.agenda_item_add(
                meeting=self.meeting,
                version=data["agenda_version"],
                title=data["title"],
                objective=data["objective"],
                minutes=data["minutes"],
                flexible=data["flexible"],
            )
        except DomainError as error:
            return self.refused(error, add_form=self.keep_typing(request.POST))
        return self.done(_("Added “%(title)s” to the agenda.") % {"title": item.title})

    def keep_typing(self, posted) -> AgendaItemForm:
        """Their input again, on the current version, so nothing typed is lost."""
        data = posted.copy()
        self.meeting.refresh_from_db(fields=["agenda_version"])
        data["agenda_version"] = str(self.meeting.agenda_version)
        return self.add_form(data)


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
        data = form.cleaned_data
        try:
            agenda_services.agenda_item_update(
                item=item,
                version=data["agenda_version"],
                title=data["title"],
                objective=data["objective"],
                minutes=data["minutes"],
                flexible=data["flexible"],
            )
        except DomainError as error:
            fresh = request.POST.copy()
            self.meeting.refresh_from_db(fields=["agenda_version"])
            fresh["agenda_version"] = str(self.meeting.agenda_version)
            return self.refused(error, editing=item.pk, edit_form=self.edit_form(item, fresh))
        return self.done(_("Saved “%(title)s”.") % {"title": item.title})


class AgendaItemDeleteView(MeetingAgendaMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.item_or_404()
        form = VersionForm(request.POST)
        if not form.is_valid():
            return self.respond(error=_("Please reload the page and try again."))
        try:
            agenda_services.agenda_item_delete(
                item=item, version=form.cleaned_data["agenda_version"]
            )
        except DomainError as error:
            return self.refused(error)
        return self.done(_("Removed “%(title)s” from the agenda.") % {"title": item.title})


class AgendaItemMoveView(MeetingAgendaMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = self.item_or_404()
        form = MoveForm(request.POST)
        if not form.is_valid():
            return self.respond(error=_("Please reload the page and try again."))
        up = form.cleaned_data["direction"] == "up"
        try:
            agenda_services.agenda_item_move(
                item=item, version=form.cleaned_data["agenda_version"], offset=-1 if up else 1
            )
        except DomainError as error:
            return self.refused(error)
        position = [i.pk for i in selectors_agenda.agenda_items(self.meeting)].index(item.pk) + 1
        return self.done(
            _("Moved “%(title)s” to position %(position)s.")
            % {"title": item.title, "position": position}
        )


class AgendaReorderView(MeetingAgendaMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ReorderForm(request.POST)
        if not form.is_valid():
            return self.respond(error=_("The new order could not be read. Please try again."))
        try:
            agenda_services.agenda_reorder(
                meeting=self.meeting,
                version=form.cleaned_data["agenda_version"],
                item_ids=form.cleaned_data["order"],
            )
        except DomainError as error:
            return self.refused(error)
        return self.done(_("The new order is saved."))


class AgendaApplyTemplateView(MeetingAgendaMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        templates = selectors_agenda.agenda_templates_choosable(self.meeting.group)
        form = ApplyTemplateForm(request.POST, action="", templates=templates)
        if not form.is_valid():
            messages.error(request, _("Please choose one of the templates listed."))
            return redirect("meetings:agenda", self.meeting.pk)
        template = next(t for t in templates if t.pk == form.cleaned_data["template"])
        try:
            agenda_services.agenda_apply_template(
                meeting=self.meeting, version=form.cleaned_data["agenda_version"], template=template
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The agenda now follows “%(name)s”.") % {"name": template})
        return redirect("meetings:agenda", self.meeting.pk)


class AgendaSaveTemplateView(MeetingAgendaMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SaveAsTemplateForm(request.POST, action="")
        if not form.is_valid():
            messages.error(request, _("Give the template a name."))
            return redirect("meetings:agenda", self.meeting.pk)
        try:
            template = agenda_services.agenda_template_create_from_meeting(
                meeting=self.meeting, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("meetings:agenda", self.meeting.pk)
        messages.success(request, _("Saved as the template “%(name)s”.") % {"name": template})
        return redirect("meetings:agenda_templates", self.meeting.group.slug)


# --- Templates --------------------------------------------------------------------------
class GroupTemplatesMixin(PermissionMixin):
    permission = "meetings.agenda_templates"

    def get_permission_object(self):
        self.group = group_or_404(self.kwargs["slug"])
        return self.group

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


class AgendaTemplateCopyView(GroupTemplatesMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        source = self.template_or_404(builtin_ok=True)
        template = agenda_services.agenda_template_copy(group=self.group, source=source)
        messages.success(request, _("“%(name)s” is ready to adapt.") % {"name": template})
        return redirect("meetings:agenda_template_edit", self.group.slug, template.pk)


class AgendaTemplateDefaultView(GroupTemplatesMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        template = self.template_or_404()
        agenda_services.agenda_template_set_default(template=template)
        messages.success(
            request, _("New meetings will start from “%(name)s”.") % {"name": template}
        )
        return self.back()


class AgendaTemplateDeleteView(GroupTemplatesMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        template = self.template_or_404()
        agenda_services.agenda_template_delete(template=template)
        messages.success(request, _("Deleted the template “%(name)s”.") % {"name": template})
        return self.back()


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
