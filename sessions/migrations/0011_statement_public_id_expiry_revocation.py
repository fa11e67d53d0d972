"""Attendance statements: a random public id instead of the signed sequential id, an
expiry and revocation. Existing statements get a fresh random id (their old links, which
carried the sequential id, stop working) and expire a statement lifetime after issue."""

import datetime
import secrets

from django.db import migrations, models

import sessions.models

LIFETIME = datetime.timedelta(days=180)


def fill(apps, schema_editor):
    Statement = apps.get_model("meetings", "AttendanceStatement")
    for statement in Statement.objects.all().iterator():
        statement.public_id = secrets.token_urlsafe(24)
        statement.expires_at = statement.issued_at + LIFETIME
        statement.save(update_fields=["public_id", "expires_at"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0010_attendance_meeting_status")]

    operations = [
        migrations.AddField(
            model_name="attendancestatement",
            name="public_id",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="attendancestatement",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="attendancestatement",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="attendancestatement",
            name="public_id",
            field=models.CharField(
                default=sessions.models.statement_public_id, max_length=64, unique=True
            ),
        ),
        migrations.AlterField(
            model_name="attendancestatement",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
