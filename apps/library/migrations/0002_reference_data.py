from django.db import migrations


def load(apps, schema_editor):
    from apps.library.reference import ensure_library_reference_data

    ensure_library_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial"), ("core", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
