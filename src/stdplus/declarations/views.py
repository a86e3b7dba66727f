"""Declaration pages: public search, an enterprise's page, a declaration (its versions, its
findings for its enterprise), and the draft's forms. Each page in one language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stdplus.accounts.selectors import organization_for, organization_ids_for
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle_ui import lifecycle_context, lifecycle_post
from stdplus.core.queries import query_read
from stdplus.core.schemas import CappedPaginator
from stdplus.core.twins import json_twin, list_twin

from .choices import DeclarationState, Direction
from .files import CONTENT_TYPES
from .filters import DeclarationFilter, district_choices, filters_search
from .industries import category_choices
from .lifecycles import COMMITMENT_TEXT
from .models import Declaration, EnterpriseStandard, Product
from .panels import declaration_panels
from .rechecks import recheck_findings_for
from .selectors import (
    can_edit,
    can_read,
    declaration_findings,
    declaration_for_reader,
    declaration_products,
    declarations_version,
    enterprise_by_code,
    enterprise_declarations,
    own_declarations,
    standard_declared_by,
    versions_of,
)
from .services import (
    catalog_standard,
    declaration_create,
    declaration_revise,
    enterprise_standard_add,
    indicator_add,
    product_add,
    product_remove,
    standard_cite,
)

SEARCH_KEEP = tuple(DeclarationFilter.model_fields)
# How long an enterprise page's content stays cached at most (its key changes with the data).
ENTERPRISE_PAGE_SECONDS = 3600

_ROW = (
    '<tr data-declaration="{}"><td><a href="{}">{}</a></td><td><a href="{}">{}</a></td>'
    "<td>{}</td><td>{}</td><td>{}</td></tr>"
)
_PRODUCT_ROW = (
    '<tr><td><a href="{}#product-{}">{}</a></td><td>{}</td><td>{}</td><td>{} ({})</td></tr>'
)


_MARKER = 987654321  # an id no declaration has, reversed once in place of the real one


def _detail_url():
    """A function giving `Declaration.get_absolute_url()` for an id, with one `reverse()`."""
    head, _, tail = reverse("declarations:detail", args=[_MARKER]).rpartition(str(_MARKER))
    return lambda pk: f"{head}{pk}{tail}"


def declaration_rows(declarations) -> str:
    """The rows of `_table.html`, written in one pass: resolving a template's variables row by
    row was most of an enterprise page's time (docs/benchmarks.md, issue 13)."""
    labels = dict(DeclarationState.choices)
    detail = _detail_url()
    credit_urls: dict[str, str] = {}
    rows = []
    for d in declarations:
        code = d.enterprise.credit_code
        if code not in credit_urls:
            credit_urls[code] = reverse("declarations:enterprise", args=[code])
        rows.append(
            format_html(
                _ROW,
                d.pk,
                detail(d.pk),
                str(d.enterprise),
                credit_urls[code],
                code,
                d.version,
                labels.get(d.state, d.state),
                d.declared_on.isoformat() if d.declared_on else "—",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row escaped by format_html


def product_rows(products, declarations) -> str:
    """The rows of the enterprise page's products (see `declaration_rows`)."""
    labels = dict(DeclarationState.choices)
    detail = _detail_url()
    urls = {d.pk: (detail(d.pk), d.version, labels.get(d.state, d.state)) for d in declarations}
    rows = []
    for p in products:
        url, version, state = urls[p.declaration_id]
        rows.append(format_html(_PRODUCT_ROW, url, p.pk, p.name, p.brand, p.model, version, state))
    return mark_safe("".join(rows))  # noqa: S308 - each row escaped by format_html


def standard_panel(request, standard) -> str:
    """The standard page's piece (catalog/panels.py): how many enterprises declare it."""
    count, enterprises = standard_declared_by(standard)
    return render_to_string(
        "declarations/_standard_panel.html",
        {"count": count, "enterprises": enterprises, "standard": standard},
    )  # no request: the piece needs none of the context processors' reads


@json_twin(list_twin("api:declarations_search", page_size=50, keep=SEARCH_KEEP))
@require_GET
def search(request):
    error = ""
    results = Declaration.objects.none()
    try:
        filters = query_read(DeclarationFilter, request.GET)
        results = filters_search(filters)
    except ApplicationError as failure:
        error = failure.message
        filters = DeclarationFilter()
    standard_text = request.GET.get("standard", "")[:200].strip()
    standard = None
    if standard_text and not error:
        standard = catalog_standard(standard_text, field="standard")
    page = CappedPaginator(results, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": declaration_rows(page.object_list),
        "enterprise": filters.enterprise,
        "product": filters.product,
        "standard_text": standard_text,
        "standard": standard,
        "filters": filters,
        "query": query.urlencode(),
        "categories": category_choices(),
        "districts": district_choices(),
        "error": error,
        "organization": organization_for(request) if request.user.is_authenticated else None,
    }
    return render(request, "declarations/search.html", context)


def enterprise_content(enterprise) -> str:
    """The enterprise page's content: its public declarations and their products. It shows
    public versions only (never a draft), so it is the same for every reader; it is rendered
    once per language and version of the declarations' data (`declarations_version`: every
    lifecycle step, a declaration made public, withdrawn, suspended or revised, moves it) and
    of the enterprise's own row (its names), then read from the cache."""
    key = (
        f"declarations.enterprise:{get_language()}:{enterprise.pk}:"
        f"{enterprise.updated_at.timestamp() if enterprise.updated_at else 0}:"
        f"{declarations_version()}"
    )
    content = cache.get(key)
    if content is not None:
        return content
    declarations = list(enterprise_declarations(enterprise))
    order = {d.pk: index for index, d in enumerate(declarations)}
    products = sorted(
        Product.objects.filter(declaration__in=declarations).only(
            "pk", "declaration_id", "name", "brand", "model"
        ),
        key=lambda p: (order[p.declaration_id], p.pk),
    )
    content = render_to_string(
        "declarations/_enterprise.html",
        {
            "enterprise": enterprise,
            "rows": declaration_rows(declarations),
            "products": product_rows(products, declarations),
        },
    )
    cache.set(key, content, ENTERPRISE_PAGE_SECONDS)
    return content


@json_twin(
    lambda request, credit_code: reverse(
        "api:declarations_enterprise", kwargs={"credit_code": credit_code}
    )
)
@require_GET
def enterprise_page(request, credit_code: str):
    enterprise = enterprise_by_code(credit_code)
    if enterprise is None:
        raise Http404("no such enterprise")
    context = {"enterprise": enterprise, "content": enterprise_content(enterprise)}
    return render(request, "declarations/enterprise.html", context)


@login_required
def mine(request):
    organization = organization_for(request)
    if organization is None:
        messages.error(request, _("Join or register an organization to declare its standards."))
        return redirect("accounts:account")
    if request.method == "POST":
        try:
            declaration = declaration_create(enterprise=organization, user=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            return redirect(declaration.get_absolute_url())
    context = {
        "organization": organization,
        "rows": declaration_rows(own_declarations(organization_ids_for(request))),
    }
    return render(request, "declarations/mine.html", context)


def _readable(request, pk: int) -> Declaration:
    declaration = declaration_for_reader(request.user, pk)
    if declaration is None:
        raise Http404("no such declaration, or not public")
    return declaration


@json_twin(lambda request, pk: reverse("api:declarations_detail", kwargs={"declaration_id": pk}))
def detail(request, pk: int):
    declaration = _readable(request, pk)
    if request.method == "POST":
        lifecycle_post(request, declaration)
        return redirect(declaration.get_absolute_url())
    editable = can_edit(request.user, declaration)
    member = can_read(request.user, declaration) and (
        declaration.is_draft or declaration.enterprise_id in organization_ids_for(request)
    )
    products = declaration_products(declaration)
    context = {
        "declaration": declaration,
        "products": products,
        "panels": declaration_panels(request, declaration, products),
        "versions": versions_of(declaration, user=request.user),
        "editable": editable,
        "member": member,
        "findings": declaration_findings(declaration) if member else [],
        "recheck_findings": recheck_findings_for(request.user, declaration, member=member),
        "categories": category_choices(),
        "directions": Direction.choices,
        "commitment": COMMITMENT_TEXT,
        **lifecycle_context(declaration, request.user, request.path),
    }
    return render(request, "declarations/detail.html", context)


def _draft_product(request, pk: int) -> Product:
    product = get_object_or_404(Product.objects.select_related("declaration"), pk=pk)
    if not can_read(request.user, product.declaration):
        raise Http404("no such product")
    return product


def _done(request, declaration: Declaration, anchor: str = ""):
    return redirect(declaration.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _fail(request, error: ApplicationError) -> None:
    where = error.where.describe()
    messages.error(request, f"{where}: {error.message}" if where else error.message)


@login_required
@require_POST
def product_new(request, pk: int):
    declaration = _readable(request, pk)
    try:
        product = product_add(declaration=declaration, user=request.user, values=request.POST)
    except ApplicationError as error:
        _fail(request, error)
        return _done(request, declaration, "add-product")
    return _done(request, declaration, f"product-{product.pk}")


@login_required
@require_POST
def product_delete(request, pk: int):
    product = _draft_product(request, pk)
    try:
        product_remove(product=product, user=request.user)
    except ApplicationError as error:
        _fail(request, error)
    return _done(request, product.declaration, "products")


@login_required
@require_POST
def cite(request, pk: int):
    product = _draft_product(request, pk)
    try:
        standard_cite(product=product, user=request.user, text=request.POST.get("standard", ""))
    except ApplicationError as error:
        _fail(request, error)
    return _done(request, product.declaration, f"product-{product.pk}")


@login_required
@require_POST
def qstandard_new(request, pk: int):
    product = _draft_product(request, pk)
    try:
        enterprise_standard_add(
            product=product,
            user=request.user,
            number=request.POST.get("number", ""),
            title=request.POST.get("title", ""),
            upload=request.FILES.get("text"),
        )
    except ApplicationError as error:
        _fail(request, error)
    return _done(request, product.declaration, f"product-{product.pk}")


@login_required
@require_POST
def indicator_new(request, pk: int):
    product = _draft_product(request, pk)
    try:
        indicator_add(product=product, user=request.user, values=request.POST)
    except ApplicationError as error:
        _fail(request, error)
    return _done(request, product.declaration, f"product-{product.pk}")


@login_required
@require_POST
def revise(request, pk: int):
    declaration = _readable(request, pk)
    try:
        new = declaration_revise(declaration=declaration, user=request.user)
    except ApplicationError as error:
        _fail(request, error)
        return _done(request, declaration)
    messages.success(request, _("Version %(version)s drafted.") % {"version": new.version})
    return redirect(new.get_absolute_url())


@require_GET
def qstandard_text(request, pk: int):
    """The uploaded text, as a download only (never shown inline, never run)."""
    row = get_object_or_404(
        EnterpriseStandard.objects.select_related("product__declaration"), pk=pk
    )
    if not row.text_size or not can_read(request.user, row.product.declaration):
        raise Http404("no such text")
    response = HttpResponse(bytes(row.text), content_type=CONTENT_TYPES[row.text_type])
    filename = f"{row.number.replace('/', '-').replace(' ', '_')}.{row.text_type}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
