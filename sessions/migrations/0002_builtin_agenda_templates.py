"""Ship the three built-in agenda templates (idempotent: missing ones are created)."""

from django.db import migrations


def create_builtins(apps, schema_editor):
    from sessions.agenda_defaults import builtin_templates_ensure

    builtin_templates_ensure(
        apps.get_model("meetings", "AgendaTemplate"),
        apps.get_model("meetings", "AgendaTemplateItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(create_builtins, migrations.RunPython.noop)]
