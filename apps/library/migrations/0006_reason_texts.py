from django.db import migrations


def load(apps, schema_editor):
    from apps.library.reference import ensure_library_reference_data

    # The reasons get their formal names (no "je" in an official document) and the short
    # argument a memorandum prints with each ticked reason; databases that ran 0002 and 0004
    # have the old names and no arguments. Upserts by key, so it can run any number of times.
    ensure_library_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("library", "0005_reason_argument"), ("core", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
