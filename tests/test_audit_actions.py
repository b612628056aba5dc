"""Every action the app can write to the audit log has words in Chinese and in English, and the audit page
shows those words, never the code. The codes are collected from the source: every call that writes an event."""

import ast

import pytest
from babel.support import Translations
from flask_babel import force_locale
from markupsafe import escape

from portal.config import ROOT
from portal.extensions import db
from portal.models import Account
from portal.services.audit import record_event
from portal.services.audit_actions import ACTION_LABELS, UnknownAuditAction
from portal.services.audit_log import PAGE_SIZE

from tests.support.signin import sign_in

WRITERS = {"record_event": 1, "audit_assisted": 0}  # function name: position of the action code


def source_trees() -> dict:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in (ROOT / "portal").rglob("*.py")}


def called_name(call: ast.Call) -> str:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", "")


def argument(call: ast.Call, position: int, name: str):
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)


def enclosing_functions(tree) -> dict:
    """node -> the function definition it is in."""
    owner = {}
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef):
            for node in ast.walk(func):
                owner.setdefault(node, func)
    return owner


def collect_codes() -> tuple[set, list]:
    """(every action code some call can write, the calls whose code could not be worked out)."""
    trees = source_trees()
    owners = {path: enclosing_functions(tree) for path, tree in trees.items()}
    calls = {path: [n for n in ast.walk(tree) if isinstance(n, ast.Call)] for path, tree in trees.items()}
    codes, unresolved = set(), []

    def resolve(expr, path, func, seen) -> None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            codes.add(expr.value)
        elif isinstance(expr, ast.IfExp):
            resolve(expr.body, path, func, seen)
            resolve(expr.orelse, path, func, seen)
        elif isinstance(expr, ast.Name) and func is not None and (func.name, expr.id) not in seen:
            seen = seen | {(func.name, expr.id)}
            params = [a.arg for a in func.args.args]
            assigned = [
                n.value
                for n in ast.walk(func)
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in n.targets)
            ]
            for value in assigned:
                resolve(value, path, func, seen)
            if expr.id in params:  # a parameter: whatever the callers of this function pass
                for other, found in calls.items():
                    for call in found:
                        if called_name(call) == func.name:
                            passed = argument(call, params.index(expr.id), expr.id)
                            if passed is not None:
                                resolve(passed, other, owners[other].get(call), seen)
            if not assigned and expr.id not in params:
                unresolved.append(f"{path.relative_to(ROOT)}:{expr.lineno}")
        else:
            unresolved.append(f"{path.relative_to(ROOT)}:{getattr(expr, 'lineno', '?')}")

    for path, found in calls.items():
        for call in found:
            position = WRITERS.get(called_name(call))
            if position is not None:
                action = argument(call, position, "action")
                if action is not None:
                    resolve(action, path, owners[path].get(call), frozenset())
    return codes, unresolved


def catalog(language: str) -> Translations:
    return Translations.load(str(ROOT / "translations"), [language])


def test_every_action_the_app_writes_has_a_label_in_chinese_and_english():
    codes, unresolved = collect_codes()
    assert unresolved == [], "write the action code where the audit call can be read"
    assert {"booking.check_in", "resident.register", "kiosk.switch_off", "poster.replace"} <= codes
    assert codes - set(ACTION_LABELS) == set(), "add a label to services/audit_actions.py"
    assert set(ACTION_LABELS) - codes == set(), "a label for an action nothing writes"
    chinese, english = catalog("zh_Hans_CN"), catalog("en")
    for code, label in ACTION_LABELS.items():
        source = label._args[0]
        assert source and source != code
        zh = chinese.gettext(source)
        assert zh != source and any("\u4e00" <= ch <= "\u9fff" for ch in zh), code
        assert english.gettext(source) == source  # English is the source text


def test_an_action_without_a_label_cannot_be_written(app):
    with app.app_context(), pytest.raises(UnknownAuditAction):
        record_event(db.session, "kiosk.explode", detail="kiosk 1")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_audit_log_shows_every_action_in_words(app, client, auth, lang):
    with app.app_context():
        staff = db.session.scalars(db.select(Account).filter_by(username="staff")).one()
        for code in ACTION_LABELS:
            record_event(db.session, code, actor=staff, channel="staff")
        db.session.commit()
    sign_in(auth, "staff")
    # More actions than one page of the log holds (services/audit_log.py PAGE_SIZE): read every page.
    pages = -(-len(ACTION_LABELS) // PAGE_SIZE)
    html = "".join(client.get(f"/audit?lang={lang}&page={n}").get_data(as_text=True) for n in range(1, pages + 1))
    with app.test_request_context(), force_locale("en" if lang == "en" else "zh_Hans_CN"):
        for code, label in ACTION_LABELS.items():
            assert f"<td>{escape(str(label))}" in html, code
            assert code not in html
