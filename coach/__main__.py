"""`python -m coach` works like the `coach` command."""
import sys

from coach.cli import main

sys.exit(main())
