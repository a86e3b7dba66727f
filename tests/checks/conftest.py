import datetime as dt

import pytest

from stdplus.catalog.services import RelationIn, StandardIn, standards_import

from ..accounts.helpers import (  # noqa: F401
    alice,
    alice_client,
    alice_token,
    bob,
    bob_token,
    curated,
    org_a,
    org_b,
)


@pytest.fixture
def iso9001(db, today):
    """ISO 9001:2008 replaced by ISO 9001:2015, and a withdrawn ISO standard."""
    standards_import(
        records=[
            StandardIn(
                "ISO 9001:2015",
                row=1,
                title_en="Quality management systems — Requirements",
                status_word="published",
                stage_code="60.60",
                published=dt.date(2015, 9, 15),
                relations=[RelationIn("replaces", "ISO 9001:2008")],
            ),
            StandardIn(
                "ISO 9001:2008",
                row=2,
                title_en="Quality management systems — Requirements",
                status_word="withdrawn",
                stage_code="95.99",
                published=dt.date(2008, 11, 14),
            ),
            StandardIn(
                "ISO 2000:1973",
                row=3,
                title_en="An old standard nobody replaced",
                status_word="withdrawn",
                stage_code="95.99",
                published=dt.date(1973, 1, 1),
            ),
        ],
        source="iso",
        path="iso.jsonl",
    )
