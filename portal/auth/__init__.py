"""Sign-in for staff, grid workers, volunteers and nurses, and the guards every blueprint reuses."""

from flask import Blueprint, g, session

bp = Blueprint("auth", __name__)


def init_app(app):
    from ..extensions import db
    from ..models import Account

    @app.before_request
    def load_account():
        account_id = session.get("account_id")
        account = db.session.get(Account, account_id) if account_id else None
        if account is not None and not account.active:
            session.pop("account_id", None)
            account = None
        g.account = account


from . import routes  # noqa: E402,F401
