from django.db import migrations


def load(apps, schema_editor):
    from apps.methods.reference import ensure_methods

    ensure_methods(apps)


class Migration(migrations.Migration):
    dependencies = [("methods", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
