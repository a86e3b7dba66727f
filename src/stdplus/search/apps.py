from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "stdplus.search"
    label = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from stdplus.catalog.services.changes import standards_changed_connect

        from .indexing import documents_update

        # The index follows every catalog write, in the writer's transaction.
        standards_changed_connect(documents_update)
