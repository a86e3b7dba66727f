from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "stdplus.programme"
    label = "programme"
    verbose_name = _("Standards+ programme")

    def ready(self):
        from .permissions import regulator_group_ensure
        from .reference import reference_ensure

        # Permissions exist only after migrate; the group is (re)made from them each time. The
        # region tree and example schemes come back after a flush (tests that truncate tables).
        post_migrate.connect(regulator_group_ensure, sender=self)
        post_migrate.connect(reference_ensure, sender=self)
