"""The OpenAPI schema is complete and true to the routes: every API route and method is in it,
every field is described with its Chinese label, every write body has an example that its own
schema accepts, and the documentation page serves it from vendored files."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.api.routes import api_routes

CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations():
    for path, item in _schema()["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _components() -> dict[str, Any]:
    return _schema()["components"]["schemas"]


def test_every_tag_is_described_in_order():
    used = {tag for _, _, operation in _operations() for tag in operation["tags"]}

    assert [tag["name"] for tag in _schema()["tags"]] == [name for name, _ in settings.API_TAGS]
    assert used == {name for name, _ in settings.API_TAGS}


def test_the_schema_is_valid_openapi_3():
    validate_schema(copy.deepcopy(_schema()))


@pytest.mark.parametrize("route", api_routes(), ids=lambda route: route.name)
def test_every_api_route_and_method_is_in_the_schema(route):
    assert route.path in _schema()["paths"], f"{route.name}: {route.path} is not in the schema"
    assert route.methods <= set(_schema()["paths"][route.path]), f"{route.name}: methods missing"


def test_the_schema_lists_the_resources_of_the_issue():
    paths = set(_schema()["paths"])
    for resource in ("units", "inspectors", "inspections", "problems"):
        assert f"/api/{resource}/" in paths or any(
            p.startswith(f"/api/{resource}/") for p in paths
        ), resource


@pytest.mark.parametrize(
    ("path", "method", "operation"), list(_operations()), ids=lambda v: str(v)[:60]
)
def test_every_operation_is_described_tagged_and_documents_its_refusals(path, method, operation):
    assert operation.get("description", "").strip(), f"{method} {path} has no description"
    assert operation.get("summary", "").strip(), f"{method} {path} has no summary"
    assert operation.get("tags"), f"{method} {path} has no tag"
    responses = set(operation["responses"])
    assert {"401", "403", "429"} <= responses
    if "{" in path:
        assert "404" in responses
    if method in {"put", "patch", "delete"}:
        assert {"412", "428"} <= responses
        assert any(p["name"] == "If-Match" and p["required"] for p in operation["parameters"])
    assert {"apiToken": []} in operation["security"]


def _properties():
    for name, component in _components().items():
        for field, schema in component.get("properties", {}).items():
            yield name, field, schema


@pytest.mark.parametrize(("component", "field", "schema"), list(_properties()), ids=str)
def test_every_field_has_a_description_and_a_chinese_label(component, field, schema):
    assert schema.get("description", "").strip(), f"{component}.{field}: no description"
    assert schema.get("title"), f"{component}.{field}: no title"
    assert CJK.search(schema.get("x-label-zh", "")), f"{component}.{field}: no Chinese label"


def test_the_standard_operations_name_their_record_in_both_languages():
    summaries = {(p, m): op["summary"] for p, m, op in _operations()}

    assert summaries[("/api/units/", "get")] == "List units（单位）"
    assert summaries[("/api/inspectors/", "post")] == "Add an inspector（巡察人员）"
    named = [s for s in summaries.values() if s.startswith(("List ", "Add ", "Read "))]
    assert all(CJK.search(s.rsplit("（", 1)[-1]) for s in named), named


def test_choices_document_their_meaning_in_both_languages():
    kind = _components()["Unit"]["properties"]["kind"]

    meaning = "* `county_branch` — County/district branch company（县区分公司）"
    assert meaning in kind["x-enum-meaning"]


def _json_schema(schema: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` as JSON Schema, references into ``#/components/schemas``."""
    if isinstance(schema, list):
        return [_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: _json_schema(value) for key, value in schema.items()}
    if converted.pop("nullable", False):
        converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def _request_bodies():
    for path, method, operation in _operations():
        body = operation.get("requestBody")
        if body:
            yield f"{method} {path}", body["content"]["application/json"]


@pytest.mark.parametrize(("operation", "content"), list(_request_bodies()), ids=str)
def test_every_write_body_has_an_example_its_schema_accepts(operation, content):
    examples = content.get("examples", {})
    assert examples, f"{operation}: no example"
    document = {"components": {"schemas": _json_schema(_components())}}
    schema = {**_json_schema(content["schema"]), **document}
    for example in examples.values():
        jsonschema.validate(example["value"], schema)


def test_enum_names_are_not_guessed():
    """drf-spectacular names an enum after its field; two different choice sets under one name
    would be renamed silently (ENUM_NAME_OVERRIDES names them)."""
    names = [name for name in _components() if re.search(r"[0-9a-f]{3}Enum$", name)]
    assert names == []


# --- The documentation page -------------------------------------------------------------------


def test_the_documentation_page_reads_the_schema(login, office_user):
    page = login(office_user).get("/api/docs/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-schema-url="/api/schema/?format=json"' in html
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # the CSP allows no inline script


def test_the_documentation_page_loads_nothing_from_elsewhere(login, office_user):
    html = login(office_user).get("/api/docs/").content.decode()

    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []


def test_the_documentation_files_are_vendored():
    for name in (
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "js/api-docs.js",
    ):
        found = finders.find(name)
        assert found, name
        assert Path(found).stat().st_size > 0, name


def test_the_documentation_page_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/api/docs/"


def test_the_schema_is_served_to_a_token(api, office_user):
    response = api(office_user).get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert "/api/units/" in response.json()["paths"]
