"""The `mutualis` console command: the project's manage.py under another name.

The computations over files (COMMANDES_CALCUL, docs/contrats/6-ligne-de-commande.md) start without the
app registry: `django.setup()` imports the models of every app, the admin and Django's HTTP layer (about
0.4 s of processor time), and they read no database. Every other command goes through Django's own
dispatcher, as `manage.py` would."""

import os
import sys

# Name → the app whose management/commands/ holds it, as Django's own lookup finds it (a test checks
# both agree). Only a command whose class derives from commun.commandes.CommandeCalcul takes the short
# path; any other name here still runs, through Django's dispatcher.
COMMANDES_CALCUL = {
    "coefficient": "masse_salariale",
    "coefficient-batch": "masse_salariale",
    "simulate": "masse_salariale",
    "optimize": "masse_salariale",
    "dsn-paie": "masse_salariale",
    "generate-national": "masse_salariale",
    "echeance": "territoire",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")
    commande = commande_calcul(sys.argv)
    if commande is not None:
        commande.run_from_argv(sys.argv)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


def commande_calcul(argv: list[str]):
    """The command of `argv` when it is a computation over files, ready to run without the app registry;
    otherwise None. Does what Django's dispatcher and `django.setup()` do before a command but populate the
    registry: `--settings` and `--pythonpath` first, then the settings' LOGGING. Django's own default
    loggers (e-mails to the admins on a request's error, the development server's lines) are left out:
    nothing here logs through them, and their e-mail handler imports the debug pages' views."""
    if len(argv) < 2 or argv[1] not in COMMANDES_CALCUL or "DJANGO_AUTO_COMPLETE" in os.environ:
        return None
    from importlib import import_module

    from django.core.management.base import CommandError, CommandParser, handle_default_options

    parser = CommandParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--settings")
    parser.add_argument("--pythonpath")
    try:
        options, _ = parser.parse_known_args(argv[2:])
        handle_default_options(options)
    except CommandError:
        pass  # the command's own parser reports it
    from commun.commandes import CommandeCalcul

    module = import_module(f"{COMMANDES_CALCUL[argv[1]]}.management.commands.{argv[1]}")
    if not issubclass(module.Command, CommandeCalcul):
        return None
    from django.conf import settings
    from django.utils.module_loading import import_string

    if settings.LOGGING_CONFIG and settings.LOGGING:
        import_string(settings.LOGGING_CONFIG)(settings.LOGGING)
    return module.Command()


if __name__ == "__main__":
    main()
