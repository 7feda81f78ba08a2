"""The clerks' simulation: only orders that reached the ERP, shipments and receipts from them."""


def test_simulation_audits_ships_and_receives_only_real_orders(erp, sandbox):
    draft_id = erp.save("SAL_SaleOrder", erp.order_model(), service="Draft")["Result"]["Id"]
    saved = [
        erp.saved("SAL_SaleOrder", erp.order_model(lines=lines))
        for lines in ((("01.0001", 2, "113"),), (("04.0001", 50, "20"), ("02.0001", 1, "11.3")))
    ]
    audited = erp.audited_order()
    done = sandbox.simulate("k3cloud", tenant=erp.tenant["acct_id"], ship=1.0, receive=1.0, seed=7)
    assert done == {"tenants": 1, "audited_orders": 2, "delivery_notices": 3, "outstocks": 3, "receipts": 3}

    orders = dict(erp.query("SAL_SaleOrder", "FBillNo,FDocumentStatus"))
    real = {number for number, state in orders.items() if state == "C"}
    assert real == {number for _, number in saved} | {audited[1]}
    assert erp.one("SAL_SaleOrder", "FDocumentStatus", f"FID={draft_id}") == ["Z"]

    notices = erp.query("SAL_DELIVERYNOTICE", "FSoorDerno,FDocumentStatus,FStockID.FNumber")
    assert {row[0] for row in notices} == real and {row[1] for row in notices} == {"C"}
    assert all(row[2] for row in notices)  # the clerk chose a stock where the material had none
    outbound = erp.query("SAL_OUTSTOCK", "FSoorDerno,FDocumentStatus,FEntity_Link_FSBillId")
    assert {row[0] for row in outbound} == real and {row[1] for row in outbound} == {"C"}
    receipts = erp.query("AR_RECEIVEBILL", "FSALEORDERNO,FDocumentStatus,FRECAMOUNTFOR")
    assert {row[0] for row in receipts} == real and {row[1] for row in receipts} == {"C"}

    again = sandbox.simulate("k3cloud", tenant=erp.tenant["acct_id"], ship=1.0, receive=1.0, seed=7)
    assert again == {"tenants": 1, "audited_orders": 0, "delivery_notices": 0, "outstocks": 0, "receipts": 0}


def test_shares_are_seeded_and_zero_means_audit_only(erp, sandbox):
    for _ in range(4):
        erp.saved("SAL_SaleOrder", erp.order_model())
    done = sandbox.simulate("k3cloud", tenant=erp.tenant["acct_id"], ship=0, receive=0)
    assert done == {"tenants": 1, "audited_orders": 4, "delivery_notices": 0, "outstocks": 0, "receipts": 0}
    assert erp.query("SAL_DELIVERYNOTICE", "FID") == [] and erp.query("AR_RECEIVEBILL", "FID") == []


def test_the_same_seed_picks_the_same_orders(erp, sandbox, anonymous):
    picked = []
    for client in (erp, anonymous):
        client.login()
        for _ in range(6):
            client.saved("SAL_SaleOrder", client.order_model())
        sandbox.simulate("k3cloud", tenant=client.tenant["acct_id"], ship=0.5, receive=0.5, seed=3)
        picked.append(sorted(row[0] for row in client.query("SAL_DELIVERYNOTICE", "FSoorDerno")))
    assert picked[0] == picked[1] and 0 < len(picked[0]) < 6


def test_the_clerks_work_is_stamped_with_the_clerk_and_the_api_users_saves_with_the_api_user(erp, sandbox):
    users = {number: user_id for user_id, number in erp.query("SEC_User", "FUserID,FNumber")}
    number = erp.saved("SAL_SaleOrder", erp.order_model())[1]

    sandbox.simulate("k3cloud", tenant=erp.tenant["acct_id"], ship=1.0, receive=0)

    order = erp.one("SAL_SaleOrder", "FModifierId,FApproverId", f"FBillNo='{number}'")
    api_user, clerk = users[erp.tenant["username"]], users["clerk01"]
    assert order == [api_user, clerk]  # saved through the API, audited by the clerk
    notices = erp.query("SAL_DELIVERYNOTICE", "FModifierId")
    assert notices and {row[0] for row in notices} == {clerk}
