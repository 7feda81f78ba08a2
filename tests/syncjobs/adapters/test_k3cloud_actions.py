"""A post-action whose reply left a record out of SuccessEntitys fails that record alone.

A real server answers IsSuccess true for a number it does not know and lists only the
processed ones (spec §9, single source); the client raises ``UnprocessedDocumentsError``
with the left-out records by DIndex, which ``k3cloud_actions.split`` hands back per record.
"""

import uuid
from types import SimpleNamespace

import pytest

from connectors.k3cloud import K3CloudClient, K3CloudConfig
from connectors.k3cloud.errors import UnprocessedDocumentsError
from connectors.state import DatabaseState
from syncjobs.adapters import k3cloud_actions
from tests.syncjobs.adapters.conftest import fast_retries


@pytest.fixture
def client(sandbox_server, erp_tenant, db, sleeps):
    config = K3CloudConfig(
        server_url=sandbox_server.base_url + erp_tenant["server_url"],
        acct_id=erp_tenant["acct_id"],
        username=erp_tenant["username"],
        password=erp_tenant["password"],
        auth_mode="password",
        connector_key=f"k3cloud:test:{uuid.uuid4().hex[:8]}",
    )
    client = K3CloudClient(config, state=DatabaseState(), retry_policy=fast_retries(sleeps))
    yield client
    client.close()


def test_only_the_left_out_record_fails(client):
    saved = client.save("BD_Customer", {"FName": "后续动作客户"})
    refs = [SimpleNamespace(id="ref-missing"), SimpleNamespace(id="ref-saved")]

    with pytest.raises(UnprocessedDocumentsError) as left_out:
        client.submit("BD_Customer", numbers=["NO-SUCH-CUSTOMER", saved.number])
    outcome = k3cloud_actions.split(left_out.value, refs)

    assert outcome["ref-saved"] is None
    assert isinstance(outcome["ref-missing"], UnprocessedDocumentsError)
    assert "NO-SUCH-CUSTOMER" in outcome["ref-missing"].message
