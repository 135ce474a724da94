"""Fuzzing the whole API against its own schema (schemathesis), on a real database holding the
demo organizations, as two organizations' tokens.

Every operation gets generated requests — valid and invalid bodies, query strings and headers,
ids of its own organization's records, of the other organization's and made-up ones — from
a token of 中国电信四川公司党委 and one of 安顺市委, each holding every role. For every response:

- no server error, and status, content type, headers and body as the schema documents them;
- nothing of the other organization in it (its own strings, collected from its own lists first);
- the other organization's record ids are 404.

Afterwards every operation that documents 404 has answered one, and every operation with a body
that documents 400 has answered one: the documented refusals are real. The run is derandomized,
so CI fails or passes the same way every time.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Membership, Organization
from accounts.roles import Role
from tests.api.routes import ApiRoute, api_routes
from tests.conftest import make_api_token
from tests.factories import FACTORIES, ORG_KWARG, MembershipFactory, UserFactory
from xuncha.tenancy import dangerously_unscoped, org_scope

EXAMPLES = 5  # per operation, organization and arm (about 40 an operation)
ENUM_LIKE = re.compile(r"[a-z_]+")
UNSAFE = {"PUT", "PATCH", "DELETE"}
SUMMARY = Path(__file__).resolve().parents[2] / "artifacts" / "fuzz-summary.json"
CJK = re.compile(r"[\u4e00-\u9fff]")
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class Tenant:
    name: str
    key: str
    ids: dict[type, list[int]]
    strings: set[str] = field(default_factory=set)


class InProcessApp(WSGIHandler):
    """Django's WSGI application, called in the test's thread and transaction: as Django's test
    client does, a request must not close the test's database connection."""

    def __call__(self, environ, start_response):
        signals = (request_started, request_finished)
        for signal in signals:
            signal.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = list(response)
            response.close()
            return body
        finally:
            for signal in signals:
                signal.connect(close_old_connections)


@pytest.fixture
def in_process() -> InProcessApp:
    return InProcessApp()


def _everything_of(org: Organization) -> None:
    """A row of every tenant model with a factory, so every resource has something to show."""
    for model in FACTORIES:
        FACTORIES[model](**{ORG_KWARG.get(model, "organization"): org})


def _tenant(code: str) -> Tenant:
    with dangerously_unscoped():
        org = Organization.objects.get(code=code)
    with org_scope(org):
        user = UserFactory(username=f"fuzz-{code}")
        MembershipFactory(organization=org, user=user, roles=tuple(Role.values))
        _everything_of(org)
        ids = {
            model: list(model.objects.for_org(org).values_list("pk", flat=True)[:20])
            for model in {*FACTORIES, Membership}
        }
    return Tenant(org.name, make_api_token(user, org), ids)


@pytest.fixture
def tenants(db, settings, in_process) -> tuple[Tenant, Tenant]:
    settings.API_TOKEN_RATE = None  # the fuzzer calls far more often than anyone may
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]  # schemathesis' WSGI host
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return _tenant("sctelecom"), _tenant("anshun")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _marker(value: str) -> bool:
    """A value that names something of its organization (a name, a code, a text) — not an
    enum value or a label every organization shows."""
    return len(value) >= 4 and not ENUM_LIKE.fullmatch(value) and not value.startswith("http")


def _collect_strings(key: str, routes: list[ApiRoute]) -> set[str]:
    """Every string value the organization's own lists show, every page of them."""
    client = Client(headers={"Authorization": f"Bearer {key}"})
    found: set[str] = set()
    for route in routes:
        if "{" in route.path or "get" not in route.methods:
            continue
        url: str | None = f"{route.path}?page_size=200"
        while url:
            page = client.get(url).json()
            found.update(value for value in _strings(page["results"]) if _marker(value))
            url = page["next"]
    return found


def _shared_words(raw_schema: dict) -> set[str]:
    """What any organization may show: choice labels in both languages, and the schema's own
    texts and examples (a fuzzer sends the examples, so a round it makes may bear their name)."""
    words = set(_strings(raw_schema))
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            for _value, label in getattr(model_field, "flatchoices", None) or ():
                for language in ("zh-hans", "en"):
                    with translation.override(language):
                        words.add(str(label))
    return words


def _own_only(tenants: tuple[Tenant, Tenant], routes: list[ApiRoute], shared: set[str]) -> None:
    ours, theirs = (_collect_strings(t.key, routes) - shared for t in tenants)
    tenants[0].strings, tenants[1].strings = ours - theirs, theirs - ours


def _leaks(response, other: Tenant) -> list[str]:
    """The other organization's values in a response: as values, or inside a message."""
    try:
        values = set(_strings(response.json()))
    except ValueError:
        values = {response.text}
    exact = values & other.strings
    inside = {m for m in other.strings if len(m) >= 8 and CJK.search(m) and m in response.text}
    return sorted(exact | inside)


def _operations(schema) -> Iterator:
    for result in schema.get_all_operations():
        yield result.ok()


def _etag(case, caller: Tenant) -> str:
    client = Client(headers={"Authorization": f"Bearer {caller.key}"})
    return client.get(case.formatted_path).headers.get("ETag", '"none"')


def _route_of(operation, routes: list[ApiRoute]) -> ApiRoute:
    return next(route for route in routes if route.path == operation.path)


@dataclass(frozen=True)
class Arm:
    """One kind of call: valid or invalid data; whose id in the path (``own``, ``foreign``,
    ``any`` integer, or ``None`` without one); whether a change names the record's version."""

    mode: GenerationMode
    ids: str | None
    versioned: bool = False


def _arms(operation) -> list[Arm]:
    """Every combination, each with its own examples: hypothesis, left to choose among them,
    prefers its first choice and would leave some never called."""
    kinds = ["own", "foreign", "any"] if operation.path_parameters else [None]
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    arms = [Arm(mode, kind) for mode in modes for kind in kinds]
    if operation.method.upper() in UNSAFE:
        arms += [Arm(mode, "own", versioned=True) for mode in modes]
    return arms


def _path_ids(operation, route: ApiRoute, arm: Arm, caller: Tenant, other: Tenant):
    if arm.ids is None:
        return st.just(None)
    name = next(iter(operation.path_parameters)).name
    model = route.parameter_model(name)
    if arm.ids == "any":
        pks = st.integers(min_value=-(2**63), max_value=2**63)
    else:
        pks = st.sampled_from((caller if arm.ids == "own" else other).ids.get(model) or [1])
    return pks.map(lambda pk: {name: pk})


@dataclass
class Ledger:
    """What the run saw: statuses per operation, and failures (recorded, not raised, so that
    hypothesis does not replay a request whose outcome depends on the requests before it)."""

    statuses: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    failures: dict[str, str] = field(default_factory=dict)
    calls: int = 0

    def fail(self, key: str, caller: Tenant, what: str, case) -> None:
        self.failures.setdefault(f"{key} as {caller.name}", f"{what}\n  {case.as_curl_command()}")


def _exercise(operation, route, arm: Arm, caller: Tenant, other: Tenant, app, ledger) -> None:
    key = f"{operation.method.upper()} {operation.path}"

    @seed(20261201)
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data) -> None:
        path = data.draw(_path_ids(operation, route, arm, caller, other))
        case = data.draw(operation.as_strategy(generation_mode=arm.mode, path_parameters=path))
        if arm.versioned:  # so that the body is judged, not only the missing version
            case.headers = {**(case.headers or {}), "If-Match": _etag(case, caller)}
        point = transaction.savepoint_create()
        response = case.call(headers={"Authorization": f"Bearer {caller.key}"}, app=app)
        ledger.calls += 1
        ledger.statuses[key].add(response.status_code)
        if response.status_code >= 500:
            transaction.savepoint_rollback(point)
            ledger.fail(key, caller, f"{response.status_code} {response.text[:500]}", case)
            return
        transaction.savepoint_commit(point)
        if arm.mode is GenerationMode.POSITIVE:
            try:
                case.validate_response(response, checks=CHECKS)
            except (AssertionError, BaseExceptionGroup) as failure:
                ledger.fail(key, caller, str(failure)[:1500], case)
        leaked = _leaks(response, other)
        if leaked:
            ledger.fail(key, caller, f"answered {other.name}'s {leaked[:5]}", case)
        if arm.ids == "foreign" and response.status_code not in {400, 401, 403, 404, 429}:
            ledger.fail(key, caller, f"{other.name}'s id gave {response.status_code}", case)

    run()


def test_the_api_survives_fuzzing_as_two_organizations(tenants, in_process):
    routes = api_routes()
    raw = json.loads(
        json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str)
    )
    _own_only(tenants, routes, _shared_words(raw))
    assert len(tenants[1].strings) > 20, "the other organization must have data to leak"
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = in_process
    ledger = Ledger()
    # e.g. "PATCH /api/units/{id}/" to look at one operation, or "petition" for every
    # operation whose method and path contain it
    only = os.environ.get("FUZZ_ONLY")
    operations = [
        operation
        for operation in _operations(schema)
        if not only or only in f"{operation.method.upper()} {operation.path}"
    ]
    for operation in operations:
        route = _route_of(operation, routes)
        for caller, other in (tenants, tenants[::-1]):
            for arm in _arms(operation):
                _exercise(operation, route, arm, caller, other, in_process, ledger)
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(  # what the run did, for whoever reads CI's artifacts
        json.dumps(
            {
                "operations": len(operations),
                "calls": ledger.calls,
                "failures": len(ledger.failures),
                "statuses": {key: sorted(seen) for key, seen in sorted(ledger.statuses.items())},
            },
            indent=1,
        )
    )
    failures = [f"{where}: {what}" for where, what in ledger.failures.items()]
    assert failures == [], "\n\n".join(failures)

    unseen = []
    for operation in operations:
        key = f"{operation.method.upper()} {operation.path}"
        documented = set(operation.definition.raw["responses"])
        seen = ledger.statuses[key]
        if "404" in documented and "{" in operation.path and 404 not in seen:
            unseen.append((key, 404, sorted(seen)))
        if "400" in documented and operation.body and 400 not in seen:
            unseen.append((key, 400, sorted(seen)))
    assert unseen == []
    assert ledger.calls >= len(operations) * 2
