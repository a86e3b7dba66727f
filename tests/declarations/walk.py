"""Declarations for the site-wide walks (JSON twins, one language): a declared version, its
revision declared too, and the URLs of the declaration pages that show them."""

from django.urls import reverse

from stdplus.accounts.credit_code import check_character
from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.services import (
    declaration_create,
    declaration_revise,
    indicator_add,
    product_add,
    standard_cite,
)


def declarations_walk(organization, user, standard: str) -> dict[str, list[str]]:
    if not organization.credit_code:
        first = "91440300MA5W00001"
        organization.credit_code = first + check_character(first)
        organization.save()
    first = declaration_create(enterprise=organization, user=user)
    product = product_add(
        declaration=first, user=user, values={"name": "保温杯", "model": "B-1", "category": "2927"}
    )
    standard_cite(product=product, user=user, text=standard)
    transition_apply(first, "declare", actor=user, data={"commitment": "yes"})
    second = declaration_revise(declaration=first, user=user)
    indicator_add(
        product=second.products.get(),
        user=user,
        values={
            "name": "保温效能",
            "direction": "higher",
            "value": "12",
            "unit": "h",
            "method_standard": standard,
        },
    )
    transition_apply(second, "declare", actor=user, data={"commitment": "yes"})
    return {
        "declarations:detail": [first.get_absolute_url(), second.get_absolute_url()],
        "declarations:enterprise": [
            reverse("declarations:enterprise", args=[organization.credit_code])
        ],
        "declarations:compare": [reverse("declarations:compare", args=[first.pk, second.pk])],
        "declarations:mandatory": [reverse("declarations:mandatory") + "?category=2927"],
    }
