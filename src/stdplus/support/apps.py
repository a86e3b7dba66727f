from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "stdplus.support"
    label = "support"
    verbose_name = _("Support for enterprises")

    def ready(self):
        from stdplus.catalog.panels import STANDARD_PAGE

        from .views import standard_panel

        # The standard's page links the public answers about it (catalog/panels.py names it).
        STANDARD_PAGE.connect("support.questions", standard_panel)
