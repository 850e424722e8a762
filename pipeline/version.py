"""Diptych's version: its own module, so that naming it loads nothing else."""

__version__ = "0.1.0"
