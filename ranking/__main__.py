"""``python -m ranking``: see ``ranking.cli``."""

import sys

from ranking.cli import main

sys.exit(main())
