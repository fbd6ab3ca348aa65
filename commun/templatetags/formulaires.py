"""The attributes of a form widget written in one call: what Django's `django/forms/widgets/attrs.html` writes
with a loop and an include for every input and every option of a list. The project's copies of the widget
templates (templates/django/forms/widgets/) use it, so a form of 150 options renders without 300 includes."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def attributs(attrs) -> str:
    """` name="value"` for each attribute, ` name` alone for True, nothing for False: attrs.html's output."""
    return mark_safe(  # noqa: S308 (every name and value is escaped)
        "".join(
            f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
            for name, value in attrs.items()
            if value is not False
        )
    )
