from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claims, name="claims"),
    path("claims/apply/", views.apply, name="apply"),
]
