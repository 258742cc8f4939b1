from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alphasierra.operations.backups.folder import DUMP, MEDIA, BackupError
from alphasierra.operations.backups.making import backup_make


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the uploaded images into a new folder "
        "alphasierra-<UTC time>/ of BACKUP_DIR, then delete the backups there older than BACKUP_KEEP_DAYS. "
        "The last line printed is the new folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, help="where to write (default: BACKUP_DIR)")

    def handle(self, *args: object, directory: Path | None, **options: object) -> None:
        try:
            backup = backup_make(directory=directory or settings.BACKUP_DIR, keep_days=settings.BACKUP_KEEP_DAYS)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files, tables = backup.manifest["files"], backup.manifest["tables"]
        self.stdout.write(
            f"{DUMP}: {megabytes(files[DUMP]['size'])} ({len(tables)} tables, {sum(tables.values()):,} rows)"
        )
        self.stdout.write(f"{MEDIA}: {megabytes(files[MEDIA]['size'])} ({backup.manifest['media_files']} files)")
        self.stdout.write(f"Backup made in {backup.seconds:.1f} s.")
        for folder in backup.deleted:
            self.stdout.write(f"Deleted {folder} (older than {settings.BACKUP_KEEP_DAYS} days).")
        # Last, alone on its line: scripts read the folder from it.
        self.stdout.write(str(backup.folder.resolve()))
