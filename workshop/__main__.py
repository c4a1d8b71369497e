"""``python -m workshop``: see ``workshop.cli``."""

import sys

from workshop.cli import main

sys.exit(main())
