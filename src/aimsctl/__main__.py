"""`python -m aimsctl`."""

from aimsctl.cli import main

main()
