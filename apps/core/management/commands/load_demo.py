from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from apps.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Laadt de demogemeenten en een demo-account per rol (nooit in productie)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--zonder-documenten",
            action="store_true",
            dest="without_documents",
            help="alleen gemeenten, accounts en kerncijfers, zonder demodocumenten",
        )

    def handle(self, *args, without_documents=False, **options):
        try:
            counts = load_demo(documents=not without_documents)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo klaar: {counts['municipalities']} gemeenten, {counts['accounts']} "
                f"accounts (wachtwoord {DEMO_PASSWORD})."
            )
        )
