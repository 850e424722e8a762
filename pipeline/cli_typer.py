"""Typer's command and group classes as Diptych's command line uses them (no logic of the
pipeline here: how the help and the usage errors read)."""

from __future__ import annotations

import typer


class _Plain:
    """What Diptych's commands and groups change in the framework's: a flag (``--help``
    too) shows no value in the help, where Typer 0.29 writes ``<bool>``; an argument is
    named by its metavar alone; and a usage error the parser raises without a command
    (``run -o`` with no value) is given it, so that its line names the command."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for p in params:
            if isinstance(p, typer.core.TyperArgument):
                p.display_type_rich = lambda ctx: None  # its metavar alone, not FILE <list[Path]>
            elif getattr(p, "is_flag", False):
                p.metavar = ""
        return params

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            if getattr(exc, "ctx", False) is None:
                exc.ctx, exc.cmd = ctx, self
            raise


class Command(_Plain, typer.core.TyperCommand):
    pass


class Group(_Plain, typer.core.TyperGroup):
    pass


class Typer(typer.Typer):
    def command(self, *args, **kwargs):
        return super().command(*args, cls=Command, **kwargs)
