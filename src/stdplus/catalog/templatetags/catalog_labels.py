"""Template filters showing the catalog's codes by their names (`catalog/labels.py`)."""

from django import template

from stdplus.catalog import labels

register = template.Library()

register.filter("doctype_label", labels.doctype_label)
register.filter("source_status_label", labels.source_status_label)
register.filter("source_label", labels.source_label)
register.filter("level_label", labels.level_label)
register.filter("status_label", labels.status_label)


@register.filter
def event_value(event) -> str:
    """A change event's new value for a person (`labels.event_value_label`)."""
    return labels.event_value_label(event.kind, event.new_value)


@register.filter
def audit_rule(rule: str) -> str:
    return labels.audit_rule_label(rule)


@register.filter
def audit_detail(detail: str, rule: str) -> str:
    return labels.audit_detail_label(rule, detail)
