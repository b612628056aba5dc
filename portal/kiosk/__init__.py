"""Kiosk mode: a shared touch screen that a senior can use alone and that forgets them afterwards.

A kiosk is a registered device. Its browser holds a long-lived signed cookie (kiosk id and cookie
version), set once with a one-time activation code. device.py checks that cookie on every request
and sets g.kiosk; while it is set, every page uses the kiosk layout, every response is `no-store`,
and the session belongs to one visit, which ends on "Start again" or after the idle time.
"""

from flask import Blueprint

bp = Blueprint("kiosk", __name__)


def init_app(app):
    from . import commands, device

    device.init_app(app)
    commands.init_app(app)
    app.register_blueprint(bp)


from . import admin, calls, identify, routes  # noqa: E402,F401
