"""The suite shares one app between tests (tests/support/app.py): what one test changes in the configuration
or the data is gone for the next. These two run in this order."""

from portal.extensions import db
from portal.models import Resident

LEFT_BEHIND = {}


def test_a_test_changes_the_configuration_and_the_data(app, client):
    app.config["PORTAL_KIOSK_IDLE_SECONDS"] = 1
    app.config["A_SETTING_OF_ITS_OWN"] = "here"
    with app.app_context():
        resident = db.session.scalars(db.select(Resident).order_by(Resident.id)).first()
        LEFT_BEHIND.update(resident=resident.id, name=resident.name)
        resident.name = "改过的名字"
        db.session.add(
            Resident(
                number="SHARED-1",
                name="新来的人",
                birth_year=1950,
                community_id=resident.community_id,
                grid_id=resident.grid_id,
                building_id=resident.building_id,
            )
        )
        db.session.commit()
    assert client.get("/").status_code == 200


def test_the_next_test_starts_from_the_configuration_and_data_of_the_run(app):
    assert LEFT_BEHIND, "runs after the test above"
    assert app.config["PORTAL_KIOSK_IDLE_SECONDS"] == 90 and "A_SETTING_OF_ITS_OWN" not in app.config
    with app.app_context():
        assert db.session.get(Resident, LEFT_BEHIND["resident"]).name == LEFT_BEHIND["name"]
        assert db.session.scalars(db.select(Resident).filter_by(name="新来的人")).first() is None
