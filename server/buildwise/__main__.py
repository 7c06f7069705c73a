"""`python -m buildwise` works like `kb-lint`."""

import sys

from buildwise.cli import main

sys.exit(main())
