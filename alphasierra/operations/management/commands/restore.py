from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alphasierra.operations.backups.folder import BackupError
from alphasierra.operations.backups.restoring import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `manage.py backup` into the database of DATABASE_URL, which must be "
        "empty, and its images into MEDIA_ROOT, which must be empty. The backup is checked first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the backup folder, alphasierra-<UTC time>/")

    def handle(self, *args: object, folder: Path, **options: object) -> None:
        try:
            restored = backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {restored.tables} tables ({restored.rows:,} rows, as counted at the backup) "
            f"and {restored.media_files} files into MEDIA_ROOT ({settings.MEDIA_ROOT}) in {restored.seconds:.1f} s."
        )
        if restored.pending_migrations:
            self.stdout.write(
                f"{restored.pending_migrations} migrations of this release are not applied yet: "
                "run `python manage.py migrate` before starting the portal."
            )
