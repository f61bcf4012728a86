from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from apps.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Laadt de demogemeenten en een demo-account per rol (nooit in productie)."

    def handle(self, *args, **options):
        try:
            counts = load_demo()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo klaar: {counts['municipalities']} gemeenten, {counts['accounts']} "
                f"accounts (wachtwoord {DEMO_PASSWORD})."
            )
        )
