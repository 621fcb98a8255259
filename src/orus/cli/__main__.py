"""`python -m orus.cli`: the same as the `orus` command."""

import sys

from orus.cli.main import main

sys.exit(main())
