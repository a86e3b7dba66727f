from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "stdplus.watch"
    label = "watch"
    verbose_name = _("Watch lists and alerts")

    def ready(self):
        from stdplus.accounts.hooks import MEMBERSHIP_ENDED

        from .services import membership_grants_end

        # The listener accounts' hook names "watch.grants" (accounts/hooks.py): a person who
        # leaves an organization stops hearing of its watch lists, in the same transaction.
        MEMBERSHIP_ENDED.connect("watch.grants", membership_grants_end)
