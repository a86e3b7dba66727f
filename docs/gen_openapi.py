"""Write docs/openapi.json from the live API; `--check` fails when it drifted.

Run: `python docs/gen_openapi.py` (or `make openapi`) after changing the API, and commit it.
The test suite checks it too (tests/catalog/test_api.py).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "openapi.json"


def render() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    import django

    django.setup()
    from stdplus.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(
                "docs/openapi.json is out of date: run `make openapi` and commit it",
                file=sys.stderr,
            )
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
