from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationsConfig(AppConfig):
    name = "stdplus.declarations"
    label = "declarations"
    verbose_name = _("Enterprise standards self-declaration")

    def ready(self):
        from stdplus.catalog.panels import STANDARD_PAGE

        from .views import standard_panel

        # The standard's page shows how many enterprises declare it; the catalog names the
        # listener in its hook (catalog/panels.py) and never imports this app.
        STANDARD_PAGE.connect("declarations.declared_by", standard_panel)

        # Part B: a catalog change re-checks the declarations naming the changed standards.
        from stdplus.catalog.services.hooks import STANDARDS_CHANGED

        from .rechecks import standards_recheck

        STANDARDS_CHANGED.connect("declarations.recheck", standards_recheck)

        # Part B: the demo dataset's declarations (hooks named in core/demo_hooks.py).
        from stdplus.core.demo_hooks import DEMO_CLEARING, DEMO_GENERATED

        from .demo import demo_declarations_clear, demo_declarations_generate

        DEMO_GENERATED.connect("declarations.demo", demo_declarations_generate)
        DEMO_CLEARING.connect("declarations.demo", demo_declarations_clear)
