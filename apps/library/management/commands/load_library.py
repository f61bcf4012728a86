from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.library.services import MAX_FILE_BYTES, LibraryFileError, library_load


class Command(BaseCommand):
    help = _(
        "Laadt de bibliotheek van beleidsvoorstellen uit een YAML- of JSON-bestand: nieuwe "
        "voorstellen worden aangemaakt, gewijzigde bijgewerkt, ontbrekende gedeactiveerd."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("pad naar het .yaml-, .yml- of .json-bestand"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("toon wat er zou veranderen, zonder iets op te slaan"),
        )

    def handle(self, *args, path, dry_run, **options):
        file = Path(path)
        try:
            # Never more than the size cap into memory, whatever the path holds (a huge file, a
            # device): library_read refuses what goes over it.
            with file.open("rb") as handle:
                content = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(
                _("Kan %(path)s niet lezen: %(error)s") % {"path": path, "error": error.strerror}
            ) from error
        try:
            result = library_load(content=content, filename=file.name, dry_run=dry_run)
        except LibraryFileError as error:
            raise CommandError(
                _("%(path)s is niet geladen, er is niets gewijzigd:\n%(errors)s")
                % {"path": path, "errors": "\n".join(f"- {m}" for m in error.messages)}
            ) from error
        for row in result.rows:
            if row.action != "unchanged":
                self.stdout.write(
                    f"{row.action.label:<14} {row.key}  {row.title}", self.style.NOTICE
                )
        prefix = _("Proefdraai, niets opgeslagen — ") if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary()))
