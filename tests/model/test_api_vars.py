from hypothesis import given
from hypothesis import strategies as st

from mcn_calls import parse_api_vars

SPEC_EXAMPLE = (
    "{account_id:133429,num_a:12396,call_id:116-1741694432.6016962,num_c:null,"
    "scenario_client_variables_1:{short_num_found:false,vpbx_id:16884},"
    "dest_link_name:,n8n_success:true}"
)


def test_spec_example_parses_with_nested_mapping() -> None:
    assert parse_api_vars(SPEC_EXAMPLE) == {
        "account_id": 133429,
        "num_a": 12396,
        "call_id": "116-1741694432.6016962",
        "num_c": None,
        "scenario_client_variables_1": {"short_num_found": False, "vpbx_id": 16884},
        "dest_link_name": None,
        "n8n_success": True,
    }


def test_comma_inside_a_value_is_kept_when_no_key_follows() -> None:
    assert parse_api_vars("{message:Hello, world,x:1}") == {"message": "Hello, world", "x": 1}


def test_values_keep_colons_and_leading_zeros() -> None:
    parsed = parse_api_vars("{url:http://crm.local/a?b=c,code:0123,big:1741694432.6016962}")
    assert parsed == {"url": "http://crm.local/a?b=c", "code": "0123", "big": "1741694432.6016962"}


def test_real_json_and_lists_are_understood() -> None:
    parsed = parse_api_vars('{"a": "x,y", b:[1, 2, {c:3}], "d": null}')
    assert parsed == {"a": "x,y", "b": [1, 2, {"c": 3}], "d": None}


def test_deep_nesting_and_unclosed_braces() -> None:
    assert parse_api_vars("{a:{b:{c:}}") == {"a": {"b": {"c": None}}}
    assert parse_api_vars("{a:1,b:{c:2") == {"a": 1, "b": {"c": 2}}


def test_empty_and_non_object_text() -> None:
    assert parse_api_vars(None) == {}
    assert parse_api_vars("") == {}
    assert parse_api_vars("garbage") == {"value": "garbage"}
    assert parse_api_vars("a:1,b:2") == {"a": 1, "b": 2}


@given(st.text(alphabet='{}[]:,"\\ ab1-.', max_size=200) | st.text(max_size=200))
def test_never_raises_and_always_returns_a_dict(text: str) -> None:
    assert isinstance(parse_api_vars(text), dict)


def test_pathological_nesting_does_not_recurse_forever() -> None:
    parsed = parse_api_vars("{a:" * 5000)
    assert isinstance(parsed, dict)
    depth, node = 0, parsed
    while isinstance(node, dict) and "a" in node:
        node, depth = node["a"], depth + 1
    assert 0 < depth < 100
