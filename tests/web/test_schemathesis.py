"""schemathesis against /openapi.json of a real server, as the admin, on every endpoint and method: no
server error, no response outside its documented status codes, content type, headers or schema, invalid
requests refused, unsupported methods answered 405 with Allow, the token required.

Left out (``--checks all`` would add them):
- ``positive_data_acceptance``: rules no JSON Schema can state are answered 422 (a query's syntax, a
  workspace's evaluators);
- ``use_after_free``, ``ensure_resource_availability``: heuristics that take a 404 for another object
  (an unknown user named in the body) for the created one's;
- ``max_response_time``: timing is measured in bench/, never asserted in tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.web.conftest import Api

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
    "response_schema_conformance,negative_data_rejection,missing_required_header,unsupported_method,"
    "allow_header_conformance,ignored_auth"
)


@pytest.mark.slow
@pytest.mark.parametrize("api", ["duckdb"], indirect=True)  # the same app on both; one run keeps CI short
def test_schemathesis_finds_nothing(api: Api, tmp_path: Path) -> None:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{api.url}/openapi.json",
        "--header",
        f"Authorization: Bearer {api.tokens['admin']}",
        "--checks",
        CHECKS,
        "--max-examples",
        "5",
        "--seed",
        "15",
        "--generation-deterministic",
        "--request-timeout",
        "300",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=3000)
    summary = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, summary
    with api.client("admin") as client:
        paths = client.get("/openapi.json").json()["paths"]
    operations = sum(len(methods) for methods in paths.values())
    assert f"Tested: {operations}" in result.stdout, summary
