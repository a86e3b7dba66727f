"""Demo self-declarations for the demo dataset (`stdplus programme demo`), flagged demo.

Connected to `core.demo_hooks` (DEMO_GENERATED, DEMO_CLEARING) in `apps.py`: the demo
enterprises (organizations with a credit code) each declare one to three products of a bundled
category, citing real national standards of the catalog (a few of them no longer in force,
so the figures of open findings show something), some with an own Q/ standard and indicators.
Each is recorded public through the lifecycle's `record` step, so its findings are kept as for
any declaration. Reproducible from the seed.
"""

from __future__ import annotations

import random

from django.db import transaction

from stdplus.accounts.models import Organization
from stdplus.catalog.models import DEMO_SOURCE, Standard
from stdplus.core.dates import today
from stdplus.core.lifecycle import transition_apply, transition_start
from stdplus.core.models import demo_rows_purge

from .industries import CLASSES
from .models import CitedStandard, Declaration, DeclarationEvent
from .services import IMPORTER, enterprise_standard_add, indicator_add, product_add

DEMO_DECLARATIONS = 150
PRODUCTS = [
    ("电热水壶", "3854"),
    ("电饭锅", "3854"),
    ("保温杯", "2927"),
    ("儿童玩具车", "2452"),
    ("锂离子电池组", "3841"),
    ("LED 台灯", "3872"),
    ("智能手表", "3961"),
    ("洗衣液", "2681"),
    ("瓶装饮用水", "1522"),
    ("无人机", "3963"),
]


def demo_declarations_generate(*, organization_ids, seed: int, say=None, **_ignored) -> int:
    rng = random.Random(seed + 13)
    enterprises = list(
        Organization.objects.filter(pk__in=organization_ids)
        .exclude(credit_code="")
        .order_by("pk")
        .values_list("pk", "credit_code")
    )
    national = Standard.objects.filter(canonical__startswith="GB").order_by("pk")
    real = national.exclude(source=DEMO_SOURCE)
    if real.filter(status="current").exists():
        national = real  # real standards where the catalog holds them, else the demo ones
    current = list(national.filter(status="current").values_list("pk", flat=True)[:400])
    outdated = list(
        national.filter(status__in=["superseded", "withdrawn"]).values_list("pk", flat=True)[:100]
    )
    if not enterprises or not current:
        return 0
    made = 0
    count = min(DEMO_DECLARATIONS, len(enterprises) * 2)
    year = today().year
    for n in range(count):
        enterprise_id, code = enterprises[n % len(enterprises)]
        with transaction.atomic():
            declaration = Declaration.objects.create(enterprise_id=enterprise_id, demo=True)
            day = today().replace(month=rng.randint(1, today().month), day=1)
            transition_start(declaration, actor=None, on=day)
            for p in range(rng.randint(1, 3)):
                name, category = rng.choice(PRODUCTS)
                if category not in {c for c, _zh, _en in CLASSES}:
                    continue
                product = product_add(
                    declaration=declaration,
                    user=IMPORTER,
                    values={"name": name, "model": f"DM-{n}-{p}", "category": category},
                )
                pool = outdated if outdated and rng.random() < 0.08 else current
                # Chosen from the catalog by id (demo catalog entries included, which the
                # public lookup hides): no typed identifier to resolve.
                for standard_id in rng.sample(pool, k=min(len(pool), rng.randint(1, 2))):
                    CitedStandard.objects.create(product=product, standard_id=standard_id)
                if rng.random() < 0.3:
                    enterprise_standard_add(
                        product=product,
                        user=IMPORTER,
                        number=f"Q/DM{enterprise_id:04d} {n * 3 + p + 1:03d}-{year}",
                        title=f"{name}（示例企业标准）",
                    )
                    indicator_add(
                        product=product,
                        user=IMPORTER,
                        values={
                            "name": "额定功率",
                            "direction": "lower",
                            "value": str(rng.randint(500, 2000)),
                            "unit": "W",
                            "own_method": "按企业规定的方法测量（示例）",
                        },
                    )
            transition_apply(declaration, "record", actor=None, on=day, note="demo")
        made += 1
        if say is not None and n % 25 == 0:
            say("declarations", n, count)
    return made


def demo_declarations_clear(*, tally: dict, **_ignored) -> None:
    """Remove the demo declarations (with their products and findings) and their histories;
    the demo enterprises' watch lists go with the enterprises."""
    removed = demo_rows_purge(DeclarationEvent)
    removed += Declaration.objects.filter(demo=True).delete()[0]
    tally["removed"] = tally.get("removed", 0) + removed
