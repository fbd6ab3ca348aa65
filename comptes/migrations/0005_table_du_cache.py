"""The database cache's table (settings.CACHES: the login throttling counters, shared by every server
process). createcachetable does nothing when the table exists or when the cache is another backend."""

from django.core.management import call_command
from django.db import migrations


def creer(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("comptes", "0004_alter_habilitation_role")]

    operations = [migrations.RunPython(creer, migrations.RunPython.noop)]
