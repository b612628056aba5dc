"""The audit log: filters, plain errors for bad filters, the masked CSV export, and events that cannot be
changed through the app."""

import csv
import io
from datetime import timedelta

from portal.extensions import db
from portal.models import Account, AuditEvent, Resident, utcnow
from portal.services.audit import record_event

from tests.support.records import audit_events
from tests.support.signin import sign_in


# -- the audit log ----------------------------------------------------------------------------
def add_events(app):
    """Three events: one today by the volunteer for resident A, one 10 days ago by the grid worker for
    resident B, one for a resident of the other community."""
    with app.app_context():
        volunteer, worker = (
            db.session.scalars(db.select(Account).filter_by(username=u)).one() for u in ("volunteer", "gridworker")
        )
        in_the_demo_log = db.select(AuditEvent.resident_id).where(AuditEvent.resident_id.is_not(None))
        a, b = db.session.scalars(  # residents the demo's own events (a volunteer's answer, say) do not name
            db.select(Resident)
            .where(Resident.community_id == 1, Resident.id.not_in(in_the_demo_log))
            .order_by(Resident.id)
        ).all()[:2]
        far = db.session.scalars(db.select(Resident).where(Resident.community_id == 2)).first()
        record_event(
            db.session,
            "assist.start",
            actor=volunteer,
            resident=a,
            reason='=HYPERLINK("x")',
            detail="identity=card; consent=given",
            channel="volunteer",
        )
        old = record_event(
            db.session, "request.file", actor=worker, resident=b, reason="street visit", channel="gridworker"
        )
        old.at = utcnow() - timedelta(days=10)
        record_event(db.session, "card.reissue", resident=far, reason="lost card")
        db.session.commit()
        return {"a": a.number, "b": b.number, "far": far.number, "volunteer": volunteer.id}


def test_audit_log_filters_by_resident_account_and_date(app, client, auth):
    ids = add_events(app)
    sign_in(auth, "staff")
    html = client.get("/audit?lang=en").get_data(as_text=True)
    assert ids["a"] in html and ids["b"] in html and ids["far"] not in html  # staff: own community only
    assert "Started helping a resident" in html and "Filed a request" in html
    assert "Identity checked: resident card; consent given" in html
    assert "身份核实：居民卡；居民已同意" in client.get("/audit?lang=zh").get_data(as_text=True)
    html = client.get(f"/audit?resident={ids['b']}&lang=en").get_data(as_text=True)
    assert ids["b"] in html and ids["a"] not in html
    html = client.get(f"/audit?account={ids['volunteer']}&lang=en").get_data(as_text=True)
    assert ids["a"] in html and ids["b"] not in html
    today = utcnow().date()
    html = client.get(f"/audit?date_from={today - timedelta(days=1)}&lang=en").get_data(as_text=True)
    assert ids["a"] in html and ids["b"] not in html
    html = client.get(f"/audit?date_to={today - timedelta(days=5)}&lang=en").get_data(as_text=True)
    assert ids["b"] in html and ids["a"] not in html
    sign_in(auth, "admin")
    assert ids["far"] in client.get("/audit").get_data(as_text=True)


def test_audit_log_explains_bad_filters(client, auth):
    sign_in(auth, "staff")
    response = client.get("/audit?resident=12&date_from=31/03/2025&account=99999&lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error: Audit log" in html
    assert "8 digits" in html and "Enter the date like 2025-03-31" in html and "Choose an account" in html
    assert 'value="31/03/2025"' in html


def test_audit_log_csv_export_is_filtered_masked_safe_and_itself_audited(app, client, auth):
    ids = add_events(app)
    sign_in(auth, "staff")
    response = client.get(f"/audit.csv?resident={ids['a']}&lang=en")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:6] == ["Time", "Account", "Role", "Resident number", "Resident", "Action"]
    assert len(rows) == 2 and rows[1][3] == ids["a"] and rows[1][5] == "assist.start"
    assert rows[1][6] == '\'=HYPERLINK("x")'  # a spreadsheet will not run it
    assert "*" in rows[1][4]  # the name is masked
    [export] = audit_events(app, "audit.export")
    assert export["actor"] == "staff" and ids["a"] in export["detail"]


def test_audit_events_cannot_be_changed_through_the_app(app, client, auth):
    """The log has no edit or delete routes; only GET works on it."""
    with app.app_context():
        before = db.session.scalars(db.select(AuditEvent.id).order_by(AuditEvent.id)).all()
    sign_in(auth, "admin")
    for method in ("post", "put", "delete"):
        assert getattr(client, method)("/audit").status_code == 405
    with app.app_context():
        assert not [
            rule
            for rule in app.url_map.iter_rules()
            if "audit" in rule.rule and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        ]
        # The demo's own events (its activities and data requests) are all still there, and none was added.
        assert db.session.scalars(db.select(AuditEvent.id).order_by(AuditEvent.id)).all() == before
