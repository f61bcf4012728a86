from django.db import migrations


def load(apps, schema_editor):
    from apps.library.reference import ensure_library_reference_data

    # Fills worth_copying and placement of the examples 0002 loaded, adds the new examples,
    # the guiding questions, the global figures (linked to the SDGs of core's 0002) and the
    # indicators with their reference values.
    ensure_library_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("library", "0003_guide_reference_models"), ("core", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
