"""The one rule for a text field typed into a form or an API body (`core.values.text_value`),
which the self-declarations, standards development and the leaders' schemes all call."""

from __future__ import annotations

import pytest
from django.utils import translation

from stdplus.core.errors import ApplicationError
from stdplus.core.values import text_value


def test_a_text_value_is_trimmed_and_may_be_absent():
    assert (
        text_value({"name": "  Shenzhen Lab \n"}, "name", "name", max_length=20) == "Shenzhen Lab"
    )
    assert text_value({}, "name", "name", max_length=20) == ""
    assert text_value({"name": None}, "name", "name", max_length=20) == ""
    assert text_value({"count": 12}, "count", "count", max_length=2) == "12"


def test_a_required_value_names_its_field_in_both_languages():
    with pytest.raises(ApplicationError) as caught:
        text_value({"title": "   "}, "title", "title", max_length=10, required=True)
    error = caught.value
    assert (error.code, error.where.field) == ("required", "title")
    with translation.override("en"):
        assert error.message == "Title is required."
    with translation.override("zh-hans"):
        assert error.message == "Title为必填项。"


def test_a_value_too_long_names_its_field_and_the_limit():
    with pytest.raises(ApplicationError) as caught:
        text_value({"scope": "x" * 11}, "scope", "scope", max_length=10, required=True)
    error = caught.value
    assert (error.code, error.where.field, error.params["max"]) == ("too_long", "scope", 10)
    with translation.override("en"):
        assert error.message == "Scope is longer than 10 characters."
    with translation.override("zh-hans"):
        assert error.message == "Scope超过 10 个字符。"
    # exactly the limit is accepted
    assert text_value({"scope": "x" * 10}, "scope", "scope", max_length=10) == "x" * 10


@pytest.mark.parametrize(
    "module",
    [
        "stdplus.declarations.services",
        "stdplus.development.services",
        "stdplus.supervision.leaders",
    ],
)
def test_the_apps_check_text_with_the_one_rule(module):
    """No app keeps a copy of the rule (they once had three, with two Chinese wordings)."""
    from importlib import import_module
    from inspect import getsource

    source = getsource(import_module(module))
    assert "text_value(" in source
    assert "is longer than %(max)s characters" not in source
