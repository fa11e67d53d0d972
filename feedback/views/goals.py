"""Personal goals (private), group goals and the WHO-5 wellbeing check."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from feedback.charts import wellbeing_chart
from feedback.forms.goals import (
    GoalProgressForm,
    GroupGoalForm,
    GroupGoalNoteForm,
    PersonalGoalForm,
    WellbeingCheckForm,
    WellbeingPlanForm,
)
from feedback.models import GroupGoal, PersonalGoal, WellbeingCheck, WellbeingPlan
from feedback.services import goals as services_goals
from groups.loaders import get_or_404
from groups.views.base import GroupPermissionMixin
from peersupport.actions import ActionView, RefusePostMixin, ServiceFormMixin
from peersupport.permissions import PermissionMixin, has_perm


class PersonalGoalListView(PermissionMixin, ServiceFormMixin, FormView):
    permission = "signed_in"
    error_field = "target_date"
    template_name = "feedback/goal_list.html"
    form_class = PersonalGoalForm

    def get_context_data(self, **kwargs):
        goals = PersonalGoal.objects.filter(owner=self.request.user).prefetch_related("progress")
        return super().get_context_data(goals=goals, **kwargs)

    def act(self, form):
        data = form.cleaned_data
        services_goals.personal_goal_create(
            owner=self.request.user,
            title=data["title"],
            measure=data["measure"],
            target_date=data["target_date"],
        )
        return _("Your goal was added. Only you can see it.")

    def get_success_url(self) -> str:
        return reverse("feedback:goals")


def _own_goal(view) -> PersonalGoal:
    """The goal for the view; the rule lets its owner alone through (others get 404)."""
    view.goal = get_or_404(PersonalGoal.objects.all(), pk=view.kwargs["pk"])
    return view.goal


class PersonalGoalDetailView(PermissionMixin, ServiceFormMixin, FormView):
    permission = "feedback.own_goal"
    template_name = "feedback/goal_detail.html"
    form_class = GoalProgressForm

    def get_permission_object(self):
        return _own_goal(self)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            goal=self.goal, progress=list(self.goal.progress.all()), **kwargs
        )

    def act(self, form):
        services_goals.personal_goal_progress(
            goal=self.goal, percent=form.cleaned_data["percent"], note=form.cleaned_data["note"]
        )
        return _("Progress logged. Well done for keeping at it.")

    def get_success_url(self) -> str:
        return self.goal.get_absolute_url()


class PersonalGoalAchieveView(ActionView):
    permission = "feedback.own_goal"

    def get_permission_object(self):
        return _own_goal(self)

    def act(self, form):
        services_goals.personal_goal_achieve(goal=self.goal)
        return _("Marked as achieved. Congratulations!")

    def get_success_url(self) -> str:
        return self.goal.get_absolute_url()


class GroupGoalListView(GroupPermissionMixin, RefusePostMixin, ServiceFormMixin, FormView):
    permission = "feedback.group_goals"
    template_name = "feedback/group_goal_list.html"
    form_class = GroupGoalForm

    def get_context_data(self, **kwargs):
        goals = GroupGoal.objects.filter(group=self.group).prefetch_related("notes")
        return super().get_context_data(
            group=self.group,
            goals=goals,
            can_manage=has_perm(self.request.user, "feedback.group_goals_manage", self.group),
            **kwargs,
        )

    def post_refusal(self) -> str:
        if has_perm(self.request.user, "feedback.group_goals_manage", self.group):
            return ""
        return _("Group goals are set by the facilitators.")

    def act(self, form):
        data = form.cleaned_data
        services_goals.group_goal_create(
            group=self.group,
            by=self.request.user,
            title=data["title"],
            description=data["description"],
            target_date=data["target_date"],
        )
        return _("The group goal was added; members can see it.")


class GroupGoalNoteView(PermissionMixin, ServiceFormMixin, FormView):
    permission = "feedback.group_goals_manage"
    template_name = "feedback/group_goal_note.html"
    form_class = GroupGoalNoteForm

    def get_permission_object(self):
        self.goal = get_or_404(GroupGoal.objects.select_related("group"), pk=self.kwargs["pk"])
        return self.goal.group

    def get_initial(self):
        return {"status": self.goal.status}

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.goal, **kwargs)

    def act(self, form):
        services_goals.group_goal_note(
            goal=self.goal,
            by=self.request.user,
            text=form.cleaned_data["text"],
            status=form.cleaned_data["status"],
        )
        return _("Progress noted.")

    def get_success_url(self) -> str:
        return reverse("feedback:group_goals", args=[self.goal.group.slug])


class WellbeingView(PermissionMixin, ServiceFormMixin, FormView):
    """The member's own WHO-5: opt in, answer, see the trend. Nobody else sees any of it."""

    permission = "signed_in"
    template_name = "feedback/wellbeing.html"
    form_class = WellbeingCheckForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        plan = WellbeingPlan.objects.filter(member=user).first()
        checks = list(WellbeingCheck.objects.filter(member=user))
        signal = None
        if checks:
            previous = checks[-2].score if len(checks) > 1 else None
            signal = services_goals.wellbeing_signal(score=checks[-1].score, previous=previous)
        return super().get_context_data(
            plan=plan,
            plan_form=WellbeingPlanForm(instance=plan or WellbeingPlan(member=user)),
            checks=checks,
            latest=checks[-1] if checks else None,
            signal=signal,
            chart=wellbeing_chart(checks),
            next_due=services_goals.wellbeing_next_due(member=user),
            **kwargs,
        )

    def act(self, form):
        services_goals.wellbeing_check_record(member=self.request.user, items=form.items())
        return _("Saved. Only you can see your answers and score.")

    def get_success_url(self) -> str:
        return reverse("feedback:wellbeing")


class WellbeingPlanView(ActionView):
    permission = "signed_in"
    form_class = WellbeingPlanForm
    invalid_message = gettext_lazy("Please choose how often from the list.")

    def act(self, form):
        services_goals.wellbeing_plan_set(
            member=self.request.user,
            active=form.cleaned_data["active"],
            interval_days=form.cleaned_data["interval_days"],
        )
        return _("Your choice was saved.")

    def get_success_url(self) -> str:
        return reverse("feedback:wellbeing")
