"""cli: the `evaluation` command and its sub-commands (the top layer)."""

from evaluation.cli.main import main

__all__ = ["main"]
