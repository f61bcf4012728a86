from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.core.transfer import MAX_FILE_BYTES, TransferError, import_municipality, read_file


class Command(BaseCommand):
    help = _(
        "Importeert een gemeente uit een bestand van export_municipality, in één transactie: "
        "bij een fout wordt niets opgeslagen. Weigert een NIS-code die hier al bestaat."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("pad naar het bestand van export_municipality"))
        parser.add_argument(
            "--max-mb",
            type=int,
            default=MAX_FILE_BYTES // (1024 * 1024),
            help=_("grootste bestand dat gelezen wordt, in MB (standaard %(default)s)"),
        )

    def handle(self, *args, path, max_mb, **options):
        try:
            data = read_file(path, max_bytes=max_mb * 1024 * 1024)
            result = import_municipality(data)
        except TransferError as error:
            raise CommandError(
                _("%(path)s is niet geïmporteerd, er is niets gewijzigd:\n%(errors)s")
                % {"path": path, "errors": "\n".join(f"- {m}" for m in error.messages)}
            ) from error
        if options["verbosity"] > 1:
            for label, count in sorted(result.counts.items()):
                self.stdout.write(f"{count:>7}  {label}")
        municipality = result.municipality
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Gemeente %(name)s (%(nis)s) geïmporteerd: %(rows)d rijen; %(created)d "
                    "accounts aangemaakt, %(linked)d bestaande accounts gekoppeld."
                )
                % {
                    "name": municipality.name,
                    "nis": municipality.nis_code,
                    "rows": sum(result.counts.values()),
                    "created": len(result.users_created),
                    "linked": len(result.users_linked),
                }
            )
        )
