from .helpers import alice, alice_client, bob, org_a, org_b  # noqa: F401
