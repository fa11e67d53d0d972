"""Admin for feedback. Personal goals, WHO-5 answers and anonymous answers are not listed:
they are the member's own (or nobody's), and staff have no reason to browse them."""

from django.contrib import admin

from feedback.models import GroupGoal, QuestionSet, Suggestion


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ["organisation", "version", "created_at"]
    readonly_fields = ["organisation", "version", "questions", "created_at"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["group", "kind", "status", "created_on"]
    list_filter = ["status", "kind"]
    # The author is left out: staff don't need to know who wrote a named idea either.
    fields = ["group", "kind", "text", "status", "reply"]
    readonly_fields = ["group", "kind", "text"]


@admin.register(GroupGoal)
class GroupGoalAdmin(admin.ModelAdmin):
    list_display = ["group", "title", "status", "target_date"]
