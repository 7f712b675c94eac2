"""The whole JSON API fuzzed against its own OpenAPI schema (schemathesis): no request makes it fail.

A commune user (every role of commune A) and a loudspeaker controller of the same commune send requests that
schemathesis draws from /api/v1/openapi.json: valid ones, ones that break the schema (arrays for objects, text for
numbers, negative offsets…), with the commune's real ids or random ones. Every answer must be below 500, and every
error must say what is wrong in Vietnamese. The number of examples is bounded and the run derandomized, so it
takes the same short time each run.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from lantoa.radio import services as radio_services
from lantoa.radio.models import LoudspeakerCluster
from lantoa.tenancy import roles

from ..conftest import make_user
from ..reach.conftest import make_activity, make_plan

pytestmark = pytest.mark.django_db

EXAMPLES = 300  # about 25 s on one core; every operation gets a dozen or more
VIETNAMESE = re.compile(r"[ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ]")
ENGLISH_DEFAULTS = ("Not Found", "Unauthorized", "Forbidden", "Input should", "Field required", "invalid JSON")


def _send(client: Client, case, headers: dict) -> object:
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    url = urlsplit(kwargs["url"])
    path = url.path + (f"?{url.query}" if url.query else "")
    extra = {
        f"HTTP_{k.upper().replace('-', '_')}": str(v)
        for k, v in {**(kwargs.get("headers") or {}), **headers}.items()
        if k.lower() not in {"content-type", "content-length"}
    }
    method = kwargs["method"].lower()
    if method in {"get", "delete", "head", "options"}:
        return getattr(client, method)(path, data=kwargs.get("params") or {}, **extra)
    if "json" in kwargs:
        body, content_type = json.dumps(kwargs["json"]), "application/json"
    else:
        body = kwargs.get("data") or b""
        content_type = (kwargs.get("headers") or {}).get("Content-Type", "application/json")
    query = "&".join(f"{k}={v}" for k, v in (kwargs.get("params") or {}).items())
    if query:
        path += ("&" if "?" in path else "?") + query
    return getattr(client, method)(path, data=body, content_type=content_type, **extra)


def test_no_request_to_the_api_makes_it_fail(commune_a, data_a):
    user = make_user("fuzz_a", *roles.COMMUNE_ROLES, commune=commune_a)
    plan = make_plan(commune_a)
    activity = make_activity(commune_a, plan["task"], data_a["unit"])
    radio_services.ensure_setup(commune_a)
    cluster = LoudspeakerCluster.objects.create(commune=commune_a, hamlet=data_a["hamlet"], name="Cụm thử")
    device, token = radio_services.create_device(user, commune_a, name="Bộ điều khiển thử", clusters=[cluster])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    schema = schemathesis.openapi.from_dict(Client().get("/api/v1/openapi.json").json())
    known = {
        "commune_id": commune_a.pk,
        "hamlet_id": data_a["hamlet"].pk,
        "airing_id": 1,
    }
    strategy = st.one_of(
        schema.as_strategy(GenerationMode.POSITIVE, path_parameters=known),
        schema.as_strategy(GenerationMode.NEGATIVE, path_parameters=known),
        schema.as_strategy(GenerationMode.POSITIVE),
        schema.as_strategy(GenerationMode.NEGATIVE),
    )
    seen: dict[int, int] = {}
    ops: dict[str, int] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, body_hint=st.sampled_from([None, activity.pk]))
    def request_is_answered(case, body_hint):
        if body_hint and isinstance(case.body, dict) and "activity_id" in case.body:
            case.body["activity_id"] = body_hint
        response = _send(client, case, {"Authorization": f"Bearer {token}"})
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        ops[case.operation.label] = ops.get(case.operation.label, 0) + 1
        where = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}"
        assert response.status_code < 500, f"{where} → {response.status_code}: {response.content[:300]!r}"
        if response.status_code >= 400 and response["Content-Type"].startswith("application/json"):
            detail = response.json().get("detail")
            assert isinstance(detail, str) and VIETNAMESE.search(detail), f"{where} → {response.content[:300]!r}"
            assert not any(english in detail for english in ENGLISH_DEFAULTS), f"{where} → {detail}"

    request_is_answered()
    # The run reached the API's code, not only its front door: some answers succeeded, some refused the input.
    assert any(200 <= status < 300 for status in seen) and {400, 404, 422} <= set(seen), seen
    assert len(ops) == len(list(schema.get_all_operations())), ops
