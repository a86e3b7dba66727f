from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stdplus.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self):
        from django.db.models.signals import pre_delete

        from .models import Membership
        from .services import membership_deleted

        # Every way a membership row goes (membership_end, the admin, a deleted person or
        # organization) ends what it granted, inside the deleting transaction.
        pre_delete.connect(membership_deleted, sender=Membership, dispatch_uid="membership_ended")
