"""Linli (邻里): an accessible community portal. create_app() builds the Flask app."""

from pathlib import Path

from flask import Flask

from .config import ROOT, check_config, engine_options, load_config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config())
    if config:
        app.config.update(config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    if app.config.get("JINJA_BYTECODE_CACHE") is not None:
        # A jinja2.BytecodeCache shared by several apps in one process (the test suite makes one per test).
        app.jinja_env.bytecode_cache = app.config["JINJA_BYTECODE_CACHE"]
    check_config(app.config)
    if app.config["PORTAL_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PORTAL_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    Path(app.instance_path).mkdir(exist_ok=True)

    from . import models, sessions  # noqa: F401  (models registers the tables with the metadata)
    from .extensions import babel, csrf, db, htmx, limiter, migrate
    from .i18n import select_locale

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from sqlalchemy import event

        from .config import sqlite_write_ahead_log

        with app.app_context():
            event.listen(db.engine, "connect", sqlite_write_ahead_log)
    sessions.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    htmx.init_app(app)
    from .services import rate_limits  # noqa: F401  (registers the database:// storage with `limits`)

    limiter.init_app(app)
    from . import page_cache

    page_cache.init_app(app)

    from . import (
        activities,
        aid,  # mutual aid (邻里互助)
        assist,
        auth,
        errors,
        grids,
        health,
        i18n,
        identify,
        join,
        kiosk,
        main,
        mydata,
        neighbours,
        notices,
        open311,
        polls,  # votes (网络微投票)
        posters,
        requests,
        speech,
        static_files,
        stats,
        topics,
        volunteers,  # volunteer register (活地图)
    )
    from .cli import register_cli
    from .template_helpers import register_template_helpers

    errors.install_converters(app)
    i18n.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(identify.bp)
    app.register_blueprint(posters.bp)
    app.register_blueprint(join.bp)
    app.register_blueprint(assist.bp)
    app.register_blueprint(requests.bp)
    app.register_blueprint(open311.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(mydata.bp)
    app.register_blueprint(activities.bp)
    app.register_blueprint(grids.bp)
    app.register_blueprint(notices.bp)
    app.register_blueprint(stats.bp)
    app.register_blueprint(neighbours.bp)
    app.register_blueprint(topics.bp)  # topics and meetings (议事会)
    app.register_blueprint(polls.bp)  # votes (网络微投票)
    app.register_blueprint(volunteers.bp)  # volunteer register (活地图)
    app.register_blueprint(aid.bp)  # mutual aid (邻里互助)
    kiosk.init_app(app)
    speech.init_app(app)
    register_template_helpers(app)
    register_cli(app)
    static_files.init_app(app)
    return app
