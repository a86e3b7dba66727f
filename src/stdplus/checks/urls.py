from django.urls import path, re_path

from . import views

app_name = "checks"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    re_path(r"^(?P<pk>\d+)/export\.(?P<fmt>xlsx|csv)$", views.export, name="export"),
    path("<int:pk>/rerun/", views.rerun, name="rerun"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
