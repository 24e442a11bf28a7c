"""The base of our management commands: help that reads well in a terminal.

Django reflows a command's `help` into one paragraph, so usage lines and formats
written there run together. Here the module's docstring is the help: its first
line is the one-line `help`, the rest an epilog printed as written.
"""

import inspect
import sys
from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's (its own options last), with the epilog's line breaks kept."""


class DocumentedCommand(BaseCommand):
    epilog = ""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        doc = inspect.cleandoc(sys.modules[cls.__module__].__doc__ or "")
        first, _, rest = doc.partition("\n")
        cls.help, cls.epilog = first.strip(), rest.strip()

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: object
    ) -> CommandParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("epilog", self.epilog or None)
        return super().create_parser(prog_name, subcommand, **kwargs)
