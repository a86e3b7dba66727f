"""Every `ApplicationError` message is a translatable string with named parameters.

The source is read (ast), not run: an error raised with an f-string, a plain string, or a
string formatted before it is raised would reach a Chinese page in English (or in the language
of whoever raised it). A message is written `_("... %(name)s ..."), params={...}`; passing on
a message already made (a variable, another error's `template`) is allowed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

from stdplus.core import rejections
from stdplus.core.errors import ApplicationError
from stdplus.identifiers import parse
from stdplus.identifiers.model import REASONS

SRC = Path(__file__).resolve().parents[2] / "src" / "stdplus"
ERRORS = {
    "ApplicationError",
    "NotFoundError",
    "PermissionDeniedError",
    "BackupError",
    "SheetErrors",
}
TRANSLATE = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _problem(message: ast.expr | None) -> str | None:
    """Why this message expression is not a translatable string, or None if it is."""
    if message is None:
        return None
    if isinstance(message, ast.JoinedStr):
        return "an f-string"
    if isinstance(message, ast.Constant) and isinstance(message.value, str):
        return "a plain string, not wrapped in a translation call"
    if isinstance(message, ast.BinOp):
        return "a string formatted before it is raised (give params= instead)"
    if isinstance(message, ast.IfExp):
        return _problem(message.body) or _problem(message.orelse)
    translated = isinstance(message, ast.Call) and _name(message.func) in TRANSLATE
    if translated and (not message.args or not isinstance(message.args[0], ast.Constant)):
        return "a translation call on something other than a literal"
    return None


def _error_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in ERRORS:
            message = node.args[0] if node.args else None
            for keyword in node.keywords:
                if keyword.arg == "message":
                    message = keyword.value
            yield node, message


def _problems(source: str, filename: str = "<source>") -> list[str]:
    found = []
    for node, message in _error_calls(ast.parse(source)):
        problem = _problem(message)
        if problem:
            found.append(f"{filename}:{node.lineno}: {problem}")
    return found


def test_every_application_error_message_is_translatable():
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        problems += _problems(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    assert not problems, "\n".join(problems)


def test_the_scan_catches_each_kind_of_untranslated_message():
    bad = [
        'raise ApplicationError(f"{path}: no such file")',
        'raise ApplicationError("no such token", code="not_found")',
        'raise NotFoundError(_("%(n)s") % {"n": 1})',
        'raise ApplicationError(message="plain")',
        'raise ApplicationError(_("a") if x else "b")',
        "raise ApplicationError(_(text))",
    ]
    for source in bad:
        assert _problems(source), source
    good = [
        'raise ApplicationError(_("no such file"), where=Where(file=path))',
        'raise ApplicationError(_("at most %(n)s"), params={"n": 3})',
        "raise ApplicationError(error.template, params=error.params)",
    ]
    for source in good:
        assert not _problems(source), source


def _literal_messages() -> set[str]:
    messages = set()
    for path in sorted(SRC.rglob("*.py")):
        for _node, message in _error_calls(ast.parse(path.read_text(encoding="utf-8"))):
            branches = (
                [message.body, message.orelse] if isinstance(message, ast.IfExp) else [message]
            )
            for branch in branches:
                if isinstance(branch, ast.Call) and _name(branch.func) in TRANSLATE:
                    messages.add(branch.args[0].value)
    return messages


def test_every_application_error_message_has_its_chinese():
    messages = _literal_messages()
    assert len(messages) > 80
    missing = []
    with translation.override("zh-hans"):
        for message in sorted(messages):
            if translation.gettext(message) == message:
                missing.append(message)
    assert not missing, "no Chinese for:\n" + "\n".join(missing)


def test_a_message_is_shown_in_the_readers_language():
    from django.utils.translation import gettext_lazy as _

    error = ApplicationError(_("no such file"), where="path")
    with translation.override("zh-hans"):
        chinese = error.message
    with translation.override("en"):
        english = error.message
    assert english == "no such file"
    assert chinese != english and re.search(r"[\u4e00-\u9fff]", chinese)


# Identifier rejections: codes in the engine (pure Python), messages in core.


def test_every_rejection_code_has_a_translated_message_with_the_same_parameters():
    assert set(REASONS) == set(rejections.REASONS)
    for code, english in REASONS.items():
        engine = set(re.findall(r"\{(\w+)\}", english))
        shown = set(re.findall(r"%\((\w+)\)s", str(rejections.REASONS[code])))
        assert engine == shown, code
        # The English of the translated table is the engine's own text.
        assert re.sub(r"%\((\w+)\)s", r"{\1}", str(rejections.REASONS[code])) == english, code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("WD 123", "unknown_body"),
        ("GB/T 1-1850", "implausible_year"),
        ("GB", "bare_prefix"),
        ("<b>GB 1</b>", "markup"),
        ("12345-2020", "bare_number"),
        ("Q/ABC", "bare_prefix"),
    ],
)
def test_a_rejection_has_a_code_and_reads_in_each_language(text, code):
    rejection = parse(text)
    assert not rejection
    assert rejection.code == code
    with translation.override("en"):
        assert rejections.rejection_message(rejection) == rejection.error
    with translation.override("zh-hans"):
        chinese = rejections.rejection_message(rejection)
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    assert not re.search(r"\b(standards|identifier|without|malformed)\b", chinese), chinese


def test_a_nested_reason_is_translated_too():
    rejection = parse("GB/T 1.1-2009/ISO ABC")
    assert not rejection
    with translation.override("zh-hans"):
        chinese = rejections.rejection_message(rejection)
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    assert "identifier" not in chinese, chinese
