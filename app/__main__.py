"""``python -m app``: the same as the ``liftlens`` command (app.cli.main)."""

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
