"""stdplus worker: run the background jobs and the periodic tasks (huey's consumer)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run the background worker: jobs started from the web or the command line, and the "
        "periodic tasks that replace cron lines (alert delivery every minute, due email digests "
        "hourly, the status recompute daily after midnight, taking over jobs of a worker that "
        "died). With STDPLUS_QUEUE_URL unset the queue is var/queue.sqlite3 (one machine); with a "
        "redis:// URL, workers on several machines share it. Stop with Ctrl-C or SIGTERM; "
        "a job cut off by a crash is run again by the next worker, and takes effect once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="jobs run at once (default: STDPLUS_WORKER_THREADS, else 2)",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="run queued jobs only; leave the periodic tasks to another worker",
        )

    def handle(self, *args, **options):
        threads = options["threads"]
        if threads is None:
            threads = settings.HUEY["consumer"]["workers"]
        elif threads < 1:
            raise CommandError(f"--threads must be at least 1 (got {threads})")
        queue = settings.HUEY.get("filename") or "Redis"
        self.stdout.write(f"stdplus worker: {threads} thread(s), queue {queue}")
        self.stdout.flush()
        call_command("run_huey", workers=threads, periodic=not options["no_periodic"])
