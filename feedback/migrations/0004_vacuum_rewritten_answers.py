from django.db import migrations


class Migration(migrations.Migration):
    """The rows rewritten by 0003 leave their old versions in the tables' dead space,
    where a superuser could still read them (with their old transaction ids) until
    autovacuum runs: vacuum now. VACUUM cannot run in a transaction."""

    atomic = False

    dependencies = [("feedback", "0003_hold_answers_until_release")]

    operations = [
        migrations.RunSQL(
            "VACUUM feedback_checkinresponse, feedback_goalreviewresponse, feedback_suggestion",
            migrations.RunSQL.noop,
        )
    ]
