"""`row|field:name` for the records page's plain table of a row schema without a template."""

from django import template

register = template.Library()


@register.filter
def field(row: dict, name: str):
    value = row.get(name, "")
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else value
