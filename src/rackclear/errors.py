"""Errors every command shares."""

from __future__ import annotations


class UserError(Exception):
    """A mistake in what the user gave: reported plainly, exit 2."""
