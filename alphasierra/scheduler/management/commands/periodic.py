import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alphasierra.scheduler.jobs import jobs_run

FREQUENT_INTERVAL_SECONDS = 60
DAILY_INTERVAL_SECONDS = 24 * 3600


class Command(BaseCommand):
    help = (
        "Run periodic jobs: 'periodic frequent' every few minutes and 'periodic daily' once a day "
        "from cron or a systemd timer; 'periodic --loop' runs both on their own clock (local portal)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("schedule", nargs="?", choices=sorted(settings.PERIODIC_JOBS))
        parser.add_argument("--loop", action="store_true", help="keep running, for the local portal")

    def handle(self, *args: object, schedule: str | None, loop: bool, **options: object) -> None:
        if loop:
            self._loop()
        elif schedule:
            if not self._run(schedule):
                raise CommandError(f"Some {schedule} jobs failed.")
        else:
            raise CommandError("Name a schedule (frequent, daily) or use --loop.")

    def _run(self, schedule: str) -> bool:
        ok = True
        for outcome in jobs_run(schedule):
            if outcome.error:
                ok = False
                self.stderr.write(f"{schedule} {outcome.name}: {outcome.error}")
            else:
                self.stdout.write(f"{schedule} {outcome.name}: {outcome.result}")
        return ok

    def _loop(self) -> None:
        next_daily = 0.0
        while True:
            self._run("frequent")
            if time.monotonic() >= next_daily:
                self._run("daily")
                next_daily = time.monotonic() + DAILY_INTERVAL_SECONDS
            time.sleep(FREQUENT_INTERVAL_SECONDS)
