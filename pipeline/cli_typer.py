"""Typer's command and group classes as Diptych's command line uses them (no logic of the
pipeline here: how the help and the usage errors read)."""

from __future__ import annotations

import typer


class _Plain:
    """What Diptych's commands and groups change in the framework's: a flag (``--help``
    too) shows no value in the help, where Typer writes ``<bool>``; an argument is named
    by its metavar alone; a usage error the parser raises without a command (``run -o``
    with no value) is given it, so that its line names the command; and a group or
    command given nothing prints its help and exits 0 (what ``no_args_is_help`` asks)
    here, not through an error class of the framework's that Typer does not export."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for p in params:
            if isinstance(p, typer.core.TyperArgument):
                p.display_type_rich = lambda ctx: None  # its metavar alone, not FILE <list[Path]>
            elif getattr(p, "is_flag", False):
                p.metavar = ""
        return params

    def parse_args(self, ctx, args):
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            typer.echo(ctx.get_help())  # with rich help, printed there and given back empty
            raise typer.Exit(0)
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
