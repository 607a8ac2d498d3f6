"""Entry point of the bundled app (PyInstaller runs this file as ``__main__``)."""

import multiprocessing
import sys

from app.cli.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app's worker processes start here too
    sys.exit(main())
