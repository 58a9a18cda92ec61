"""``python -m evaluation`` runs the command line."""

import sys

from evaluation.cli.main import main

sys.exit(main())
