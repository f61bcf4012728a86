from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core.models import ActionArea, AmbitionLevel, SDGGoal, SDGTarget
from apps.core.reference import ensure_reference_data


class Command(BaseCommand):
    help = "Laadt of actualiseert de SDG's, subdoelen, actieterreinen en ambitieniveaus."

    def handle(self, *args, **options):
        with transaction.atomic():
            ensure_reference_data()
        self.stdout.write(
            f"{SDGGoal.objects.count()} SDG's, {SDGTarget.objects.count()} subdoelen, "
            f"{ActionArea.objects.count()} actieterreinen, "
            f"{AmbitionLevel.objects.count()} ambitieniveaus."
        )
