from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "stdplus.core"
    label = "core"

    def ready(self):
        from django.db.models import Field, ForeignObject

        from . import checks  # noqa: F401 - registers the system checks
        from .batching import Among

        # `field__among=[...]`: a list as one parameter. Related fields look their lookups
        # up from `ForeignObject` down only, so they are given it too.
        Field.register_lookup(Among)
        ForeignObject.register_lookup(Among)

        # Each app declares its lifecycles in `<app>/lifecycles.py`; load them all, as the
        # admin loads `admin.py`, so the registry is complete before anything asks it.
        autodiscover_modules("lifecycles")
