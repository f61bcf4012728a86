from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.core.transfer import EXCLUDED, TransferError, write_export


class Command(BaseCommand):
    help = _(
        "Schrijft één gemeente met al haar documenten, opmerkingen, reviewstatus, geschiedenis, "
        "leden en accounts naar een JSON-bestand, om ze in een andere installatie te importeren "
        "(import_municipality). PDF- en Word-opdrachten gaan niet mee."
    )

    def add_arguments(self, parser):
        parser.add_argument("nis_code", help=_("NIS-code van de gemeente, bv. 44021"))
        parser.add_argument("path", help=_("pad van het bestand dat geschreven wordt"))

    def handle(self, *args, nis_code, path, **options):
        try:
            counts = write_export(nis_code, path)
        except TransferError as error:
            raise CommandError(
                _("Er is niets geschreven:\n%(errors)s")
                % {"errors": "\n".join(f"- {m}" for m in error.messages)}
            ) from error
        except OSError as error:
            raise CommandError(
                _("Kan %(path)s niet schrijven: %(error)s")
                % {"path": path, "error": error.strerror}
            ) from error
        if options["verbosity"] > 1:
            for label, count in sorted(counts.items()):
                self.stdout.write(f"{count:>7}  {label}")
            for label, reason in sorted(EXCLUDED.items()):
                self.stdout.write(
                    _("niet mee: %(model)s (%(reason)s)") % {"model": label, "reason": reason}
                )
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Gemeente %(nis)s geschreven naar %(path)s: %(rows)d rijen in %(models)d "
                    "tabellen."
                )
                % {
                    "nis": nis_code,
                    "path": path,
                    "rows": sum(counts.values()),
                    "models": len(counts),
                }
            )
        )
