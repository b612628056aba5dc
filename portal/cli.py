"""Command-line tasks: `flask --app portal seed-demo`, `seed-scale` and `flask --app portal translate ...`."""

import signal
import threading

import click
from babel.messages.frontend import CommandLineInterface

from .config import ROOT
from .services.outbox_delivery import DEFAULT_BATCH, DEFAULT_LEASE_SECONDS

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


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

    @app.cli.command("seed-scale")
    @click.option(
        "--residents",
        default=100_000,
        show_default=True,
        type=click.IntRange(min=1_000),
        help="City size; every other figure scales with it.",
    )
    def seed_scale_command(residents):
        """Add a city-size data set on top of the demo (run seed-demo first). Safe to run again."""
        from flask import current_app

        from .scale import ScaleSeedError, seed_scale

        if current_app.config.get("PORTAL_PRODUCTION"):
            raise click.ClickException(
                "seed-scale does not run in production: it adds made-up residents and accounts with the demo password."
            )
        try:
            summary = seed_scale(residents)
        except ScaleSeedError as missing:
            raise click.ClickException(str(missing)) from None
        if summary["skipped"]:
            click.echo("The city-size data is already loaded; nothing was added.")
        click.echo(f"{'table':<16}{'added':>10}{'rows':>10}")
        for table, rows in summary["after"].items():
            click.echo(f"{table:<16}{rows - summary['before'][table]:>10,}{rows:>10,}")

    @app.cli.command("send-outbox")
    @click.option(
        "--loop", is_flag=True, help="Keep running and send new messages as they come (stop: SIGTERM or Ctrl-C)."
    )
    @click.option("--sender-id", default=None, help="This sender's name in its claims (default: host:pid:random).")
    @click.option("--batch", default=DEFAULT_BATCH, show_default=True, type=click.IntRange(1, 500))
    @click.option(
        "--lease-seconds",
        default=DEFAULT_LEASE_SECONDS,
        show_default=True,
        type=click.FloatRange(1, 3600),
        help="How long a claim holds; a dead sender's messages go out again after it.",
    )
    @click.option("--idle-seconds", default=5.0, show_default=True, type=click.FloatRange(0.05, 3600))
    def send_outbox_command(loop, sender_id, batch, lease_seconds, idle_seconds):
        """Deliver pending outbox messages. Safe to run twice, or from several processes and hosts at once."""
        from flask import current_app

        from .extensions import db
        from .services.outbox import load_sender
        from .services.outbox_delivery import send_forever, send_pending

        stopping = threading.Event()
        # SIGTERM (systemd, a deploy) or Ctrl-C: finish the message in hand, hand the other claims back.
        previous = {signum: signal.signal(signum, lambda *_: stopping.set()) for signum in STOP_SIGNALS}
        try:
            sender = load_sender(current_app.config.get("PORTAL_SMS_SENDER"))
            options = {"sender_id": sender_id, "batch": batch, "lease_seconds": lease_seconds}
            if loop:
                counts = send_forever(
                    db.session,
                    sender,
                    idle_seconds=idle_seconds,
                    should_stop=stopping.is_set,
                    wait=stopping.wait,
                    **options,
                )
            else:
                counts = send_pending(db.session, sender, should_stop=stopping.is_set, **options)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        click.echo("Sent {sent}, failed {failed}.".format(**counts))

    @app.cli.command("stats-refresh")
    def stats_refresh_command():
        """Work out the public figures of every community and grid again, in both languages, and keep them
        (run it from cron more often than PORTAL_PUBLIC_FIGURES_SECONDS, and no reader waits for them)."""
        from flask_babel import force_locale

        from .extensions import db
        from .i18n import LANGUAGES
        from .scale.bulk import progress_bars
        from .services import clock
        from .services.stats.period import PUBLIC_PERIODS
        from .services.stats.stored import public_scopes, refresh

        tz = clock.portal_zone()
        locales = tuple(LANGUAGES.values())
        pages = len(public_scopes(db.session)) * len(PUBLIC_PERIODS) * len(locales)
        with progress_bars() as progress:
            task = progress.add_task("public figures", total=pages)
            kept, deleted = refresh(
                db.session,
                clock.utcnow(),
                clock.today_local(tz),
                tz,
                locales,
                force_locale,
                done=lambda: progress.advance(task),
            )
        click.echo(f"Kept {kept} pages of public figures. Copies of past periods deleted: {deleted}.")

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
