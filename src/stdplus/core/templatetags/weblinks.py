"""`{{ value|web_url }}`: the URL if it is http(s), else "" (see stdplus.core.weblinks)."""

from django import template

from stdplus.core.weblinks import web_url as _web_url

register = template.Library()


@register.filter
def web_url(value) -> str:
    return _web_url(value)
