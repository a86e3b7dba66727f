from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("lookup/", views.lookup, name="lookup"),
    path("standards/<path:identifier>/", views.standard_detail, name="standard-detail"),
]
