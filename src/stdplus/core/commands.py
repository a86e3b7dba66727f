"""The base of stdplus's own batch commands (`stdplus import`, `stdplus show`, `stdplus backup`...).

Django runs its system checks before every management command unless the command says it needs
none. The checks import the whole URL configuration (every app's views and the API's schemas,
about 0.8 s of a command's start, more than a `stdplus show` itself takes). The commands that
serve (`stdplus serve`, `runserver`) and the worker keep them, and `stdplus check` with no file
runs them on demand; a command that reads or writes the catalog from the command line does not
need the views to load, so it starts without them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand


class BatchCommand(BaseCommand):
    requires_system_checks: list[str] = []
