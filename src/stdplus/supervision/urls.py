from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("spot-checks/", views.rounds, name="rounds"),
    path("spot-checks/roster/", views.roster_page, name="roster"),
    path("spot-checks/mine/", views.my_checks, name="my-checks"),
    path("spot-checks/<int:round_id>/", views.round_page, name="round"),
    path("spot-checks/checks/<int:check_id>/", views.check_page, name="check"),
    path("spot-checks/items/<int:item_id>/", views.item_post, name="item"),
    path("leaders/", views.areas, name="areas"),
    path("leaders/categories/<int:category_id>/", views.category_page, name="category"),
    path("leaders/schemes/<int:scheme_id>/", views.scheme_page, name="scheme"),
    path("leaders/runs/<int:run_id>/", views.run_page, name="run"),
    path("leaders/runs/<int:run_id>/export.<str:fmt>", views.run_export, name="run-export"),
    path("leaders/entries/<int:entry_id>/", views.leader_page, name="leader"),
]
