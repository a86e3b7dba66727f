from django.urls import path

from . import views
from .feeds import ChangesAtom, WatchListAtom

app_name = "watch"

urlpatterns = [
    path("watch/", views.index, name="index"),
    path("watch/<int:pk>/", views.detail, name="detail"),
    path("watch/from-check/<int:check_pk>/", views.from_check, name="from-check"),
    path("watch/inbox/", views.inbox_view, name="inbox"),
    path("watch/feed/<str:token>/", WatchListAtom(), name="feed"),
    path("changes/", views.changes, name="changes"),
    path("changes/feed/", ChangesAtom(), name="changes-feed"),
]
