from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("lookup/", views.lookup, name="lookup"),
    path("standards/<path:identifier>/", views.standard_detail, name="standard-detail"),
    path("classes/<str:scheme>/", views.classes, name="classes"),
    path("classes/<str:scheme>/<str:code>/", views.classes, name="class-detail"),
    path("bodies/", views.bodies, name="bodies"),
]
