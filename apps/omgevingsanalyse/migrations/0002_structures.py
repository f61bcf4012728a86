from django.db import migrations


def load(apps, schema_editor):
    from apps.omgevingsanalyse.reference import ensure_structures

    ensure_structures(apps)


class Migration(migrations.Migration):
    dependencies = [("omgevingsanalyse", "0001_initial"), ("core", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
