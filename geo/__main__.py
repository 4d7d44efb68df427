"""Command line: python -m geo build|fetch|..."""

from geo.cli import main

raise SystemExit(main())
