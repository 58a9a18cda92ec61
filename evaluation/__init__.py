"""Evaluation toolkit for Swedish regional business-development projects."""

from __future__ import annotations

__version__ = "0.1.0"
