"""What My information shows, prints and exports of a resident's activity sign-ups (the registry of
record kinds: portal/mydata/records.py): the activity, when and where, the sign-up's state with the
place on the waiting list now, the ticket code, and the channel and who entered it."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload, with_expression

from ..display import clock as clock_text
from ..display import full_date, when
from ..models import ActivitySignup
from ..mydata.kinds import origin_text, who
from ..mydata.records import RecordKind, record_kind
from ..requests.words import REQUEST_CHANNEL_LABELS
from .common import state_label


def waiting_place():
    """The sign-up's place on its waiting list now, counted in the same SELECT (1 is next)."""
    earlier = aliased(ActivitySignup)
    return (
        select(func.count())
        .where(
            earlier.activity_id == ActivitySignup.activity_id,
            earlier.state == "waiting",
            earlier.position <= ActivitySignup.position,
        )
        .correlate(ActivitySignup)
        .scalar_subquery()
    )


def signups_query(resident):
    return (
        select(ActivitySignup)
        .where(ActivitySignup.resident_id == resident.id)
        .order_by(ActivitySignup.created_at.desc(), ActivitySignup.id.desc())
        .options(
            joinedload(ActivitySignup.activity),
            joinedload(ActivitySignup.entered_by),
            with_expression(ActivitySignup.waiting_place, waiting_place()),
        )
        .execution_options(populate_existing=True)
    )


def place_now(signup: ActivitySignup) -> int | None:
    return signup.waiting_place if signup.state == "waiting" else None


def status_text(signup: ActivitySignup) -> str:
    if signup.state == "waiting" and signup.waiting_place:
        return _("%(state)s: number %(position)s", state=state_label(signup.state), position=signup.waiting_place)
    return state_label(signup.state)


record_kind(
    RecordKind(
        key="activity_signups",
        title=_l("Activities you signed up for"),
        position=15,
        query=signups_query,
        export=lambda s: {
            "activity": s.activity.title,
            "starts_at": s.activity.starts_at,
            "ends_at": s.activity.ends_at,
            "place": s.activity.place,
            "state": s.state,
            "waiting_position": place_now(s),
            "ticket_code": s.code,
            "at_desk": s.at_desk,
            "channel": s.channel,
            "entered_by": who(s.entered_by),
            "kiosk_id": s.kiosk_id,
            "signed_up_at": s.created_at,
            "promoted_at": s.promoted_at,
            "attended_at": s.attended_at,
            "ended_at": s.ended_at,
            "to_phone_about": s.call_reason,
            "phoned_at": s.call_done_at,
        },
        show=lambda s: [
            (_("Activity"), s.activity.title),
            (_("When"), f"{full_date(s.activity.starts_at)} {clock_text(s.activity.starts_at)}"),
            (_("Place"), s.activity.place),
            (_("Status"), status_text(s)),
            (_("Ticket code"), s.code),
            (_("How you signed up"), origin_text(s, REQUEST_CHANNEL_LABELS)),
            (_("Signed up on"), when(s.created_at)),
        ],
    )
)
