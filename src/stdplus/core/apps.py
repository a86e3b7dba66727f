from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stdplus.core"
    label = "core"
