"""`flask --app portal kiosk-code <kiosk id>`: a fresh one-time activation code, for set-up and demos."""

import click


def init_app(app):
    @app.cli.command("kiosk-code")
    @click.argument("kiosk_id", type=int)
    def kiosk_code_command(kiosk_id):
        """Issue a fresh one-time activation code for a kiosk (any earlier unused code stops working)."""
        from ..extensions import db
        from ..models import Kiosk
        from ..services.kiosks import CODE_VALID_FOR, issue_activation_code

        kiosk = db.session.get(Kiosk, kiosk_id)
        if kiosk is None:
            raise click.ClickException(f"There is no kiosk {kiosk_id}.")
        if not kiosk.active:
            raise click.ClickException(f"Kiosk {kiosk_id} is switched off; switch it on first at /admin/kiosks.")
        code = issue_activation_code(db.session, kiosk)
        db.session.commit()
        hours = int(CODE_VALID_FOR.total_seconds() // 3600)
        click.echo(f"Activation code for kiosk {kiosk.id} ({kiosk.name}): {code}")
        click.echo(f"On the kiosk's browser, open /kiosk/activate and type it. It works once, within {hours} hours.")
