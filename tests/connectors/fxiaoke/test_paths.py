import pytest

from connectors.fxiaoke import paths


@pytest.mark.parametrize(
    ("api_name", "action", "expected"),
    [
        ("AccountObj", "query", "/cgi/crm/v2/data/query"),
        ("LeadsObj", "create", "/cgi/crm/v2/data/create"),
        ("SalesOrderObj", "changeOwner", "/cgi/crm/v2/data/changeOwner"),
        ("object_Ab12c__c", "query", "/cgi/crm/custom/v2/data/query"),
        ("object_Ab12c__c", "invalid", "/cgi/crm/custom/v2/data/invalid"),
    ],
)
def test_it_picks_the_path_family_from_the_api_name(api_name, action, expected):
    assert paths.data_path(api_name, action) == expected


def test_it_treats_only_the_double_underscore_c_suffix_as_custom():
    assert paths.is_custom("object_xx__c")
    assert not paths.is_custom("ContactObj")
    assert not paths.is_custom("object_c")


def test_it_refuses_unknown_actions_and_missing_object_names():
    with pytest.raises(ValueError):
        paths.data_path("AccountObj", "drop")
    with pytest.raises(ValueError):
        paths.data_path("", "get")
