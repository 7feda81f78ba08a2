"""``adapter_for``: the adapter a connector's system speaks, or the one a test put behind it."""

from syncjobs.adapters.clients import adapter_for, adapters_from
from syncjobs.adapters.fxiaoke import FxiaokeAdapter
from syncjobs.adapters.k3cloud import K3CloudAdapter
from tests.syncjobs.factories import make_fxiaoke, make_k3cloud


def test_each_system_gets_its_own_adapter(db):
    assert isinstance(adapter_for(make_k3cloud("erp")), K3CloudAdapter)
    assert isinstance(adapter_for(make_fxiaoke("crm")), FxiaokeAdapter)


def test_an_installed_factory_serves_every_caller_until_its_block_ends(db):
    erp = make_k3cloud("erp")
    with adapters_from(lambda connector: ("memory", connector.slug)):
        assert adapter_for(erp) == ("memory", "erp")
        with adapters_from(lambda connector: "inner"):
            assert adapter_for(erp) == "inner"
        assert adapter_for(erp) == ("memory", "erp")
    assert isinstance(adapter_for(erp), K3CloudAdapter)
