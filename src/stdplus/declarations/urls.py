from django.urls import path

from . import views

app_name = "declarations"

urlpatterns = [
    path("", views.search, name="search"),
    path("mine/", views.mine, name="mine"),
    path("enterprise/<str:credit_code>/", views.enterprise_page, name="enterprise"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/products/", views.product_new, name="product-new"),
    path("<int:pk>/revise/", views.revise, name="revise"),
    path("products/<int:pk>/delete/", views.product_delete, name="product-delete"),
    path("products/<int:pk>/standards/", views.cite, name="cite"),
    path("products/<int:pk>/enterprise-standards/", views.qstandard_new, name="qstandard-new"),
    path("products/<int:pk>/indicators/", views.indicator_new, name="indicator-new"),
    path("enterprise-standards/<int:pk>/text/", views.qstandard_text, name="qstandard-text"),
]

# Part B
from . import pages  # noqa: E402

urlpatterns += [
    path("mandatory/", pages.mandatory, name="mandatory"),
]
urlpatterns += [
    path("import/", pages.imports, name="import"),
]

from .feeds import NewDeclarationsAtom  # noqa: E402

urlpatterns += [
    path("export.<str:fmt>", pages.export, name="export"),
    path("feed/", NewDeclarationsAtom(), name="feed"),
]

urlpatterns += [
    path("<int:pk>/compare/<int:other>/", pages.compare, name="compare"),
]
