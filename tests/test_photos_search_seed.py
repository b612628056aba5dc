"""Unit tests: request photos (EXIF stripped, JPEG/PNG only, size-limited), the helper's scoped
search, and the demo requests seed."""

import io

import pytest
from PIL import Image

from portal.extensions import db
from portal.models import Category, Request, RequestEvent
from portal.services.assist import check_start, search_residents
from portal.services.photos import PhotoError, store_photo
from portal.services.sla import is_overdue

from tests.support.factories import account, grid_resident


# -- photos --------------------------------------------------------------------------------
def jpeg_with_exif(size=(64, 48), orientation=None) -> io.BytesIO:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (30.0, 45.0, 0.0)}  # GPS latitude
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    out.seek(0)
    return out


def test_photos_are_re_encoded_without_exif(tmp_path):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original.getvalue())).getexif()  # the upload does carry EXIF
    name = store_photo(original, tmp_path)
    assert name.endswith(".jpg") and len(name) == 36
    with Image.open(tmp_path / name) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)
        assert not stored.getexif() and "exif" not in stored.info
    assert b"PhoneMaker" not in (tmp_path / name).read_bytes()


def test_photos_are_turned_the_way_the_camera_meant(tmp_path):
    name = store_photo(jpeg_with_exif(size=(64, 48), orientation=6), tmp_path)  # 6: rotate 90 degrees
    with Image.open(tmp_path / name) as stored:
        assert stored.size == (48, 64)


def test_png_photos_are_accepted(tmp_path):
    out = io.BytesIO()
    Image.new("RGBA", (10, 10)).save(out, "PNG")
    out.seek(0)
    assert store_photo(out, tmp_path).endswith(".png")


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda: io.BytesIO(b"not a picture at all"), "not_an_image"),
        (lambda: _gif(), "not_an_image"),
        (lambda: io.BytesIO(b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024)), "too_large"),
    ],
)
def test_photos_that_are_refused(tmp_path, make, code):
    with pytest.raises(PhotoError) as refused:
        store_photo(make(), tmp_path)
    assert refused.value.code == code
    assert list(tmp_path.iterdir()) == []


def _gif():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    out.seek(0)
    return out


# -- the helper's search ------------------------------------------------------------------------
def test_search_by_last_four_digits_of_the_phone_stays_in_scope(app):
    with app.app_context():
        target = grid_resident(1, with_phone=True)
        found, more = search_residents(db.session, account("gridworker"), target.phone[-4:])
        assert target in found and not more
        assert all(r.phone.endswith(target.phone[-4:]) for r in found)
        outside = grid_resident(3, with_phone=True)
        assert outside not in search_residents(db.session, account("gridworker"), outside.phone[-4:])[0]
        assert outside in search_residents(db.session, account("volunteer"), outside.phone[-4:])[0]


def test_search_by_part_of_the_name_or_the_building(app):
    with app.app_context():
        volunteer = account("volunteer")
        found, _ = search_residents(db.session, volunteer, "王")
        assert found and all("王" in r.name and r.community_id == 1 for r in found)
        found, _ = search_residents(db.session, volunteer, "8幢")
        assert found and all(r.building.name == "8幢" for r in found)
        found, _ = search_residents(db.session, volunteer, "building 8")
        assert found and all(r.building.name == "8幢" for r in found)
        worker_found, _ = search_residents(db.session, account("gridworker"), "8幢")
        assert worker_found == []  # building 8 is in grid 3, not the grid worker's
        assert search_residents(db.session, volunteer, "%")[0] == []  # no wildcard tricks
        assert search_residents(db.session, account("staff"), "王")[0] == []  # only helpers search


def test_search_limits_the_list_and_says_there_were_more(app):
    with app.app_context():
        found, more = search_residents(db.session, account("volunteer"), "幢", limit=5)
        assert len(found) == 5 and more


def test_check_start_needs_identity_consent_and_reason():
    assert check_start("", False, "") == {
        "identity_check": "identity_missing",
        "consent": "consent_missing",
        "reason": "reason_missing",
    }
    assert check_start("card", True, "x" * 201) == {"reason": "reason_too_long"}
    assert check_start("known", True, "Report a leak") == {}


def test_seed_requests_is_idempotent_and_has_one_overdue(app):
    from portal.requests.seed import CATEGORIES, seed_requests

    with app.app_context():
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        before = (count(Category), count(Request), count(RequestEvent))
        seed_requests()
        seed_requests()
        assert (count(Category), count(Request), count(RequestEvent)) == before
        assert before[0] == len(CATEGORIES) == 8
        names = {c.code: (c.name, c.name_en) for c in db.session.scalars(db.select(Category))}
        assert names["mutual_aid"] == ("生活求助（邻里互助）", "Help needed (mutual aid)")
        from portal.models import utcnow

        overdue = [r.ticket for r in db.session.scalars(db.select(Request)) if is_overdue(r, utcnow())]
        assert overdue == ["HFT4WR9C"]
