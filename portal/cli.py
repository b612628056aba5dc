"""Command-line tasks: `flask --app portal seed-demo` and `flask --app portal translate ...`."""

import click
from babel.messages.frontend import CommandLineInterface

from .config import ROOT


def run_pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def register_cli(app):
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load the demo street, communities, grids, accounts and residents. Safe to run again."""
        from flask import current_app

        from .seed import seed_demo

        if current_app.config.get("PORTAL_PRODUCTION"):
            raise click.ClickException(
                "seed-demo does not run in production: it would add demo accounts with a published password."
            )

        summary = seed_demo()
        click.echo(
            "Demo data ready: {communities} communities, {grids} grids, {accounts} accounts, "
            "{residents} residents.".format(**summary)
        )

    @app.cli.command("send-outbox")
    def send_outbox_command():
        """Deliver pending outbox messages. Safe to run twice, or from two places at once."""
        from flask import current_app

        from .extensions import db
        from .services.outbox import load_sender, send_pending

        counts = send_pending(db.session, load_sender(current_app.config.get("PORTAL_SMS_SENDER")))
        click.echo("Sent {sent}, failed {failed}.".format(**counts))

    @app.cli.group()
    def translate():
        """Extract, update and compile the translation catalogs."""

    @translate.command()
    def extract():
        """Collect every user-facing string into translations/messages.pot."""
        run_pybabel(
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_ngettext:1,2",
            "--no-location",
            "--sort-output",
            "-o",
            str(ROOT / "translations" / "messages.pot"),
            str(ROOT),
        )

    @translate.command()
    def update():
        """Merge new strings from messages.pot into every language's messages.po."""
        run_pybabel(
            "update",
            "-i",
            str(ROOT / "translations" / "messages.pot"),
            "-d",
            str(ROOT / "translations"),
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        )

    @translate.command()
    def compile():
        """Build the .mo files the app reads (they are not committed)."""
        compile_catalogs()

    @translate.command("init")
    @click.argument("language")
    def init_language(language):
        """Start a new language, for example: flask --app portal translate init ja."""
        run_pybabel(
            "init", "-i", str(ROOT / "translations" / "messages.pot"), "-d", str(ROOT / "translations"), "-l", language
        )


def compile_catalogs() -> None:
    run_pybabel("compile", "-d", str(ROOT / "translations"))
