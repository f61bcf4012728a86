from django.db import migrations


def fill(apps, schema_editor):
    """Databases that loaded the reference data before the Dutch target titles existed get
    them here; a fresh database already has them from 0002 (an empty title is filled, one an
    administrator wrote is kept)."""
    from apps.core.reference import fill_target_titles_nl

    fill_target_titles_nl(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_historicalyearfigures")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
