"""The SDK's cryptography as the simulator verifies it, against the spec's test vector."""

from k3cloud_webapi_sdk.util import encode_util, hmac_util

from sandbox.k3cloud import signing

VECTOR_APP_ID = "123456_422C1/iIyuH4R+Ws526A2/yLyrX6RrOs"
PATH = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"


def test_app_id_hides_the_decoded_secret_the_sdk_way():
    assert signing.encode_app_id("123456", "0123456789abcdef0123456789abcdef") == VECTOR_APP_ID
    assert signing.client_secret(VECTOR_APP_ID) == "0123456789abcdef0123456789abcdef"
    assert encode_util.DecodeAppSecret(VECTOR_APP_ID.split("_")[1]) == "0123456789abcdef0123456789abcdef"


def test_signed_headers_match_the_spec_vector():
    headers = signing.signed_headers(
        "acct01", "api_user", VECTOR_APP_ID, "s3cr3t-app-secret", PATH, 1700000000
    )
    assert headers["X-Kd-Appdata"] == "YWNjdDAxLGFwaV91c2VyLDIwNTIsMA=="
    assert headers["X-Kd-Signature"] == (
        "Y2NkYTVkMmY0YTExMzQxZmU5NTg3MGE5MzViOTkyYTFlMWEwZDZjNjVjNjc3M2FkZjBiYmE0NTJkY2RjOTU2OA=="
    )
    assert headers["X-Api-Signature"] == (
        "OGYyOGM2NWJjY2FlNjZhZjUyNzViOGRkNTllMzBjYzM3YWNkOGZmZTZkNDA4MGUzYTA4MDJhMGU4Yjg3NWFmOQ=="
    )
    assert headers["X-Api-ClientID"] == "123456"


def test_hash_equals_the_sdk_own_function():
    assert signing.sdk_hash("message", "key") == hmac_util.HmacSHA256("message", "key")


def test_malformed_app_ids_have_no_client_secret():
    assert signing.client_secret("no-underscore") == ""
    assert signing.client_secret("1_short") == ""
    assert signing.client_secret("1_" + "!" * 32) == ""


def test_login_sign_sorts_ordinally_then_hashes():
    sign = signing.login_sign("acct01", "api_user", "app", "secret", "1700000000")
    # "1700000000" < "acct01" < "api_user" < "app" < "secret" in ordinal order
    import hashlib

    assert sign == hashlib.sha256(b"1700000000acct01api_userappsecret").hexdigest()
