"""stdplus serve: the production web server (gunicorn) for stdplus.wsgi."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn: STDPLUS_WEB_WORKERS processes (default 2) of "
        "STDPLUS_WEB_THREADS threads each (default 4). Static files are served by WhiteNoise "
        "(in production run `stdplus collectstatic` first: hashed, compressed, cached for a "
        "year). Send SIGHUP to reload the code and settings gracefully (new workers start, old "
        "ones finish their requests), SIGTERM to stop. Put it behind a reverse proxy for TLS. "
        "Background jobs run in `stdplus worker`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="address:port to listen on (127.0.0.1:8000)"
        )
        parser.add_argument("--workers", type=int, help="processes (STDPLUS_WEB_WORKERS)")
        parser.add_argument("--threads", type=int, help="threads per process (STDPLUS_WEB_THREADS)")
        parser.add_argument(
            "--timeout",
            type=int,
            default=60,
            help="seconds before a stuck request's worker is restarted",
        )

    def handle(self, *args, **options):
        from django.core.wsgi import get_wsgi_application
        from django.db import connections
        from gunicorn.app.base import BaseApplication

        from stdplus.core.metrics import metrics_dir_prune, worker_exited

        workers = settings.STDPLUS_WEB_WORKERS if options["workers"] is None else options["workers"]
        threads = settings.STDPLUS_WEB_THREADS if options["threads"] is None else options["threads"]
        for name, value in (
            ("workers", workers),
            ("threads", threads),
            ("timeout", options["timeout"]),
        ):
            if value < 1:
                raise CommandError(f"--{name} must be at least 1 (got {value})")
        config = {
            "bind": options["bind"],
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "timeout": options["timeout"],
            "graceful_timeout": 30,
            "keepalive": 5,
            # stdplus writes its own access line per request (logger stdplus.access: request id,
            # route, status, duration; JSON with STDPLUS_LOG_FORMAT=json).
            "accesslog": None,
            "errorlog": "-",
            "proc_name": "stdplus",
            "child_exit": lambda server, worker: worker_exited(worker.pid),
        }
        metrics_dir_prune()  # the metric files of processes of earlier runs

        class Server(BaseApplication):
            def load_config(self):
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return get_wsgi_application()

        self.stdout.write(
            f"stdplus serve: http://{options['bind']} with {workers} worker(s) x {threads} thread(s)"
        )
        self.stdout.flush()
        connections.close_all()  # the forked workers open their own
        Server().run()
