from django.db import migrations, models


def renumber(apps, schema_editor):
    """Proposals adopted at the same moment could share an order value before positions were
    unique: number each memorandum's proposals 0, 1, 2, … in the order they are shown."""
    Proposal = apps.get_model("beleidsvoorstellen", "MemorandumProposal")
    memorandum_ids = Proposal.objects.values_list("memorandum_id", flat=True).distinct()
    for memorandum_id in memorandum_ids:
        rows = list(Proposal.objects.filter(memorandum_id=memorandum_id).order_by("order", "pk"))
        # No constraint yet: the rows can take their new places in one go.
        for position, row in enumerate(rows):
            row.order = position
        Proposal.objects.bulk_update(rows, ["order"])


class Migration(migrations.Migration):
    dependencies = [("beleidsvoorstellen", "0001_initial")]

    operations = [
        migrations.RunPython(renumber, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="memorandumproposal",
            constraint=models.UniqueConstraint(
                fields=("memorandum", "order"), name="memorandum_proposal_order_unique"
            ),
        ),
    ]
