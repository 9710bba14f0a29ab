"""``python -m sync_server``: the administrator's command line (see ``cli.py``)."""

import sys

from sync_server.cli import main

sys.exit(main())
