from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stdplus.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_delete

        from .models import Membership
        from .services import language_on_login, membership_deleted

        user_logged_in.connect(language_on_login, dispatch_uid="language_on_login")

        # Every way a membership row goes (membership_end, the admin, a deleted person or
        # organization) ends what it granted, inside the deleting transaction.
        pre_delete.connect(membership_deleted, sender=Membership, dispatch_uid="membership_ended")
