#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

EX_TEMPFAIL = 75  # sysexits.h: the mail server keeps the message and retries


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["ingest_email"]:
        _set_up_for_the_mail_pipe()
    execute_from_command_line(sys.argv)


def _set_up_for_the_mail_pipe() -> None:
    """Settings and apps loaded before the pipe's command runs: a configuration
    that can't load (a garbage DATABASE_URL) must defer the mail with one line,
    as every other database problem does, not bounce it with a traceback."""
    import warnings

    import django

    with warnings.catch_warnings(record=True) as caught:
        try:
            django.setup()
        except Exception as exc:
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            sys.stderr.write(
                f"4.3.0 configuration error, the mail server will retry ({detail})\n"
            )
            sys.exit(EX_TEMPFAIL)
    for warning in caught:  # set up after all: say what it warned about
        warnings.showwarning(
            warning.message, warning.category, warning.filename, warning.lineno
        )


if __name__ == "__main__":
    main()
