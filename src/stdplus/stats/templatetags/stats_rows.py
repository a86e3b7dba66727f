"""`row|field:name` for the records page's plain table of a row schema without a template."""

from django import template

register = template.Library()


@register.filter
def field(row: dict, name: str):
    value = row.get(name, "")
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else value


@register.filter
def label(value, kind: str) -> str:
    """`row.level|label:"standard_level"`: a code by its display name (`stats/labels.py`)."""
    from stdplus.stats.labels import label as shown

    return shown(kind, value)
