from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "stdplus.search"
    label = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from stdplus.catalog.services.hooks import STANDARDS_CHANGED

        from .indexing import documents_prepare, documents_update

        # The listener the catalog's hook names "search.index" (catalog/services/hooks.py):
        # the index follows every catalog write, in the writer's settling transactions
        # (`documents_prepare`: what settling reads before it takes SQLite's write lock).
        STANDARDS_CHANGED.connect("search.index", documents_update, prepare=documents_prepare)
