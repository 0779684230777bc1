"""``python -m cnpolicy``."""

import sys

from cnpolicy.cli import main

sys.exit(main())
