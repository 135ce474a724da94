"""A unit picker that stays small on a tree of thousands of units.

A plain ``<select>`` of a 5,020-unit tree is 300 KB of HTML and takes Django seconds to render.
``UnitSelect`` renders every unit while the choices are few (``LIMIT`` or fewer); past that it
renders the first ``LIMIT`` in tree order plus the selected one, and a search box above the
select that replaces its options with the units matching what is typed (htmx, from
``accounts:unit_options``). Validation is untouched: the field still accepts any unit of its
queryset, whatever the options rendered. Every unit select shows the tree: an option is indented
by its unit's depth (``indented``), in the search's answers too; ``UnitSelectMultiple`` is the
same for a multiple choice of units (the grants of a member).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

LIMIT = 50
# One mark per level below the top (as the search answers, _unit_options.html): browsers drop
# leading spaces from an option, so the marks are visible characters.
INDENT = "— "


def indented(name: str, depth: int) -> str:
    """A unit's name as a select lists it: indented by its depth in the tree."""
    return f"{INDENT * depth}{name}"


def attrs_html(attrs: dict[str, Any]) -> SafeString:
    """HTML attributes in the given order, as Django's ``attrs.html`` writes them."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


def options_html(
    choices: Iterable[tuple[Any, Any]], value: Iterable[str], *, multiple: bool = False
) -> SafeString:
    """``<option>``s as Django writes them (escaped): for a single select the first whose value
    is among ``value`` is selected, for a ``multiple`` one each of them. Django's template
    include and option dict per ``<option>`` cost a millisecond per 15 options."""
    wanted = {str(v) for v in value}
    parts = []
    selected = False
    for option_value, label in choices:
        option = "" if option_value is None else str(option_value)
        mark = ""
        if option in wanted and (multiple or not selected):
            mark, selected = " selected", True
        parts.append(f'<option value="{escape(option)}"{mark}>{conditional_escape(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 (escaped above)


def select_html(attrs: dict[str, Any], options: str) -> SafeString:
    """A ``<select>`` with these attributes (``name`` first) around already-safe options."""
    return format_html("<select{}>{}</select>", attrs_html(attrs), options)


class UnitSelect(forms.Select):
    def __init__(self, *args: Any, search: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """``search``: the ``accounts:unit_options`` parameters that narrow the search to this
        field's units (``within``: a unit id whose sub-units only are offered)."""
        super().__init__(*args, **kwargs)
        self.search = search or {}
        self.truncated = False

    def _units(self, queryset: Any, value: list[Any]) -> list[Any]:
        """The units to list: all while few, else the first ``LIMIT`` and the selected one."""
        units = list(queryset[: LIMIT + 1])
        self.truncated = len(units) > LIMIT
        if self.truncated:
            units = units[:LIMIT]
            shown = {str(unit.pk) for unit in units}
            wanted = [v for v in value if v and str(v) not in shown]
            if wanted:
                units += list(queryset.filter(pk__in=wanted))
        return units

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return super().get_context(name, value, attrs)
        # The units themselves, not Django's option dicts (a dozen calls per option).
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"]["units"] = self._units(queryset, context["widget"]["value"])
        return context

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        units = self._units(queryset, value)
        field = self.choices.field
        choices: list[Any] = [("", field.empty_label)] if field.empty_label is not None else []
        choices += [self.choices.choice(unit) for unit in units]
        full, self.choices = self.choices, choices
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = full

    def _options(self, units: list[Any], value: list[str]) -> SafeString:
        """The empty choice, then the units."""
        field = self.choices.field
        choices: list[tuple[Any, Any]] = []
        if field.empty_label is not None:
            choices.append(("", field.empty_label))
        choices += [
            (field.prepare_value(unit), indented(field.label_from_instance(unit), unit.depth))
            for unit in units
        ]
        return options_html(choices, value)

    def _render(self, template_name: str, context: dict[str, Any], renderer=None):  # type: ignore[no-untyped-def]
        """The ``<select>`` built directly: Django's template include per ``<option>`` made the
        picker the costliest part of the pages that show one (a millisecond per 15 options)."""
        widget = context["widget"]
        if "units" in widget:
            options = self._options(widget["units"], widget["value"])
        else:
            options = format_html_join(
                "",
                "<option{}>{}</option>",
                (
                    (attrs_html({"value": option["value"], **option["attrs"]}), option["label"])
                    for _group, group_options, _index in widget["optgroups"]
                    for option in group_options
                ),
            )
        return select_html({"name": widget["name"], **widget["attrs"]}, options)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None):  # type: ignore[no-untyped-def]
        select = super().render(name, value, attrs, renderer)
        if not self.truncated:
            return select
        select_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        empty_label = getattr(getattr(self.choices, "field", None), "empty_label", None)
        query = {**self.search, "empty": empty_label or ""}
        url = f"{reverse('accounts:unit_options')}?{urlencode(query)}"
        return format_html(
            '<input type="search" name="{}" class="form-control form-control-sm mb-1" '
            'placeholder="{}" aria-label="{}" autocomplete="off" hx-get="{}" '
            'hx-trigger="input changed delay:300ms, search" hx-target="#{}">{}'
            '<div class="form-text">{}</div>',
            f"{name}_search",
            _("Search units by name or code"),
            _("Search units by name or code"),
            url,
            select_id,
            select,
            _("The first %(count)d units are listed; type to find the others.") % {"count": LIMIT},
        )


class UnitSelectMultiple(forms.SelectMultiple):
    """A multiple select of every unit of its queryset, in tree order and indented like
    ``UnitSelect``, written directly (a member's grants list the whole tree)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None):  # type: ignore[no-untyped-def]
        field = self.choices.field
        choices = [
            (field.prepare_value(unit), indented(field.label_from_instance(unit), unit.depth))
            for unit in field.queryset
        ]
        return select_html(
            {"name": name, **self.build_attrs(self.attrs, attrs), "multiple": True},
            options_html(choices, self.format_value(value), multiple=True),
        )
