from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "stdplus.supervision"
    label = "supervision"
    verbose_name = _("Spot checks and leader rankings")

    def ready(self):
        from stdplus.declarations.panels import DECLARATION_PAGE

        from .views import holds_back_panel

        # A declaration's page shows what keeps each product out of the leader tier; the
        # declarations app names the listener in its hook and never imports this app.
        DECLARATION_PAGE.connect("supervision.holds_back", holds_back_panel)
