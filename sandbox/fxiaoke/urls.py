"""The simulated Fxiaoke Open API; mounted at ``/sandbox/fxiaoke/`` in place of https://open.fxiaoke.com."""

from django.urls import path

from sandbox.fxiaoke.views import crm, messages, people, token

DATA_ACTIONS = {
    "query": crm.data_query,
    "get": crm.data_get,
    "create": crm.data_create,
    "update": crm.data_update,
    "invalid": crm.data_invalid,
    "delete": crm.data_delete,
    "recover": crm.data_recover,
    "changeOwner": crm.data_change_owner,
}

urlpatterns = [
    path("cgi/corpAccessToken/get/V2", token.corp_access_token),
    path("cgi/user/getByMobile", people.get_by_mobile),
    path("cgi/user/get", people.get_user),
    path("cgi/user/simpleList", people.simple_list),
    path("cgi/user/list", people.user_list),
    path("cgi/department/list", people.department_list),
    path("cgi/message/send", messages.send),
    path("cgi/crm/v2/object/list", crm.object_list),
    path("cgi/crm/v2/object/describe", crm.describe, {"custom": False}),
    path("cgi/crm/custom/v2/object/describe", crm.describe, {"custom": True}),
    path("cgi/crm/custom/data/invalid", crm.custom_bulk_invalid),
    *[path(f"cgi/crm/v2/data/{action}", view, {"custom": False}) for action, view in DATA_ACTIONS.items()],
    *[
        path(f"cgi/crm/custom/v2/data/{action}", view, {"custom": True})
        for action, view in DATA_ACTIONS.items()
    ],
]
