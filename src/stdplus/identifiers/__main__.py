"""``python -m stdplus.identifiers normalize [--json] [ID ...]``."""

import sys

from .cli import main

sys.exit(main())
