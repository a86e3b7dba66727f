from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "stdplus.importers"
    label = "importers"
    verbose_name = _("Importers")
