"""The OpenAPI document validates, and schemathesis finds nothing against the emulator."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
from openapi_spec_validator import validate

from mcn_calls.emulator import Running

from ..support import auth, call_log_url, vpbx_ids


def test_openapi_document_validates(emulator: Running) -> None:
    document = httpx.get(emulator.base_url.removesuffix("/v2/rest") + "/openapi.json").json()
    validate(document)
    paths = set(document["paths"])
    assert paths == {
        "/v2/rest/account/{account_id}/vpbx",
        "/v2/rest/account/{account_id}/vpbx/{vpbx_id}/call_log",
        "/v2/rest/account/{account_id}/vpbx/{vpbx_id}/call_log/record",
    }
    for path in paths:
        documented = set(document["paths"][path]["get"]["responses"])
        assert {"200", "400", "401", "403", "404", "429", "500", "502", "503"} <= documented


def test_schemathesis_finds_no_server_error_and_no_schema_break(
    emulator: Running, tmp_path: Path
) -> None:
    vpbx = vpbx_ids(emulator)[0]
    items = httpx.get(
        call_log_url(emulator, vpbx),
        headers=auth(),
        params={"date_from": "2026-11-20", "date_to": "2026-11-25"},
    ).json()["items"]
    recorded = next(c["callid"] for c in items if c["has_record"])
    settings = tmp_path / "schemathesis.toml"
    settings.write_text(
        "[parameters]\n"
        '"path.account_id" = "100001"\n'
        f'"path.vpbx_id" = "{vpbx}"\n'
        f'"query.call_id" = "{recorded}"\n'
    )
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"
    done = subprocess.run(
        [
            st,
            "--config-file",
            str(settings),
            "run",
            emulator.base_url.removesuffix("/v2/rest") + "/openapi.json",
            "-H",
            "Authorization: Bearer t0k",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance,response_headers_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "40",
            "--seed",
            "1",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "3 selected" in done.stdout and " passed" in done.stdout
