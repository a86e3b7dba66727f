from django.urls import path

from . import views
from .visibility import demo_switch

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("lookup/", views.lookup, name="lookup"),
    path("demo-data/", demo_switch, name="demo-switch"),
    path("catalog/audit/", views.audit, name="audit"),
    path("standards/<path:identifier>/", views.standard_detail, name="standard-detail"),
]
