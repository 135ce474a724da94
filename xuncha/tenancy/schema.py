"""The OpenAPI schema's conventions (see ``xuncha.tenancy.api``)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from xuncha.tenancy.api_errors import ErrorSerializer

UNSAFE = frozenset({"PUT", "PATCH", "DELETE"})

_ERRORS = {
    "400": "The body or a query parameter is not valid, or a business rule refused the change.",
    "401": "No valid API token or session.",
    "403": "The caller's roles do not allow this.",
    "404": "No such record in the caller's organization (or not one the caller may see).",
    "412": "If-Match does not match the record's current ETag.",
    "428": "If-Match is missing.",
    "429": "Too many calls with this token; retry after the time in Retry-After.",
}


def chinese_label(label: Any) -> str:
    with translation.override("zh-hans"):
        return str(label)


_STANDARD = {
    "list": "List {plural}",
    "create": "Add {a} {name}",
    "retrieve": "Read {a} {name}",
    "update": "Replace {a} {name}",
    "partial_update": "Change {a} {name}",
    "destroy": "Remove {a} {name}",
}


class OrgAutoSchema(AutoSchema):
    """drf-spectacular's schema with our conventions: each field's English title, Chinese label
    (``x-label-zh``) and description, choices with their meaning in both languages, the error
    responses every operation can give, and the If-Match/ETag headers of records."""

    def get_summary(self) -> str | None:
        """One line beside each address on the documentation page: the standard actions by
        their record (in English and Chinese), the others by their docstring's first sentence."""
        view = self.view
        template = _STANDARD.get(getattr(view, "action", None) or "")
        model = getattr(view, "model", None)
        if template is not None and model is not None:
            with translation.override("en"):
                name, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
            article = "an" if name[:1] in "aeiou" else "a"
            line = template.format(a=article, name=name, plural=plural)
            return f"{line}（{chinese_label(model._meta.verbose_name)}）"
        first = self.get_description().strip().split("\n\n")[0].replace("\n", " ")
        return first.split(". ")[0].split(": ")[0].rstrip(".") or None

    def _get_serializer_field_meta(self, field: Any, direction: Any) -> dict[str, Any]:
        meta = super()._get_serializer_field_meta(field, direction)
        if isinstance(field, serializers.Field) and field.label:
            with translation.override("en"):
                meta["title"] = str(field.label)
            meta["x-label-zh"] = chinese_label(field.label)
        return meta

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        for member in schema.get("oneOf", ()):  # a blank-allowed e-mail: the label stays outside
            if "x-label-zh" in member:
                schema["x-label-zh"] = member.pop("x-label-zh")

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ChoiceField) and field.choices and "$ref" not in schema:
            lines = []
            for value, label in field.choices.items():
                with translation.override("en"):
                    english = str(label)
                lines.append(f"* `{value}` — {english}（{chinese_label(label)}）")
            schema["x-enum-meaning"] = "\n".join(lines)
        return schema

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method in UNSAFE or (self.method == "POST" and self._on_record()):
            required = self.method in UNSAFE
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=required,
                    description=(
                        "The record's ETag as last read. "
                        + ("Required: " if required else "Optional: when sent, ")
                        + "the change is refused (412) if the record changed since."
                    ),
                )
            )
        return parameters

    def _on_record(self) -> bool:
        view = self.view
        return bool(getattr(view, "detail", False))

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = ["401", "403", "429"]
        if self.method != "GET" or (self._is_list_view() and self._has_filters()):
            codes.append("400")
        if self.path.count("{") or self._is_list_view():  # a record, a parent, or a bad cursor
            codes.append("404")
        if self.method in UNSAFE:
            codes += ["412", "428"]
        elif self.method == "POST" and self._on_record():
            codes.append("412")
        for code in sorted(codes):
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=_ERRORS[code]), code
                )
        return responses

    def _has_filters(self) -> bool:
        view = self.view
        return bool(getattr(view, "filterset_class", None) or getattr(view, "filterset_fields", ()))

    def _get_response_headers_for_code(self, status_code: Any, direction: Any = "response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) in {"200", "201"} and not self._is_list_view():
            headers["ETag"] = {
                "schema": {"type": "string"},
                "description": "The record's version: send it back in If-Match to change it.",
            }
        return headers
