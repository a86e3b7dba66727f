from django.urls import path, re_path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    re_path(r"^search/export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("classes/<str:scheme>/", views.classes, name="classes"),
    path("classes/<str:scheme>/<path:code>/", views.classes, name="class-detail"),
    path("bodies/", views.bodies, name="bodies"),
]
