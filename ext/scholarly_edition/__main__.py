"""``python -m scholarly_edition``: the same as the ``edition`` console script."""

import sys

from .cli import main

sys.exit(main())
