"""What My information shows, prints and exports of a resident's entry on the volunteer register and their
answers to call-outs (the registry of record kinds: portal/mydata/records.py)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..display import place_name, when
from ..models import CallOutReply, Volunteer
from ..mydata.kinds import origin_text, who
from ..mydata.records import RecordKind, record_kind
from ..requests.words import REQUEST_CHANNEL_LABELS
from ..services.volunteers import skills_of, slots_of
from .words import ANSWER_WORDS, skills_text, times_text


def entry_query(resident):
    return (
        select(Volunteer)
        .where(Volunteer.resident_id == resident.id)
        .order_by(Volunteer.id)
        .options(joinedload(Volunteer.building), joinedload(Volunteer.entered_by))
    )


def replies_query(resident):
    return (
        select(CallOutReply)
        .join(Volunteer, CallOutReply.volunteer_id == Volunteer.id)
        .where(Volunteer.resident_id == resident.id)
        .order_by(CallOutReply.id.desc())
        .options(joinedload(CallOutReply.callout))
    )


record_kind(
    RecordKind(
        key="volunteer_entry",
        title=_l("Your entry on the volunteer register"),
        position=18,
        query=entry_query,
        export=lambda v: {
            "building_id": v.building_id,
            "skills": skills_of(v.skills),
            "other_skill": v.other_skill,
            "free_times": [f"{day}-{part}" for day, part in slots_of(v.availability)],
            "consented_at": v.consented_at,
            "channel": v.channel,
            "entered_by": who(v.entered_by),
            "changed_at": v.updated_at,
        },
        show=lambda v: [
            (_("Building"), place_name(v.building)),
            (_("How you can help"), skills_text(v)),
            (_("When you are usually free"), times_text(v.availability)),
            (_("How you joined"), origin_text(v, REQUEST_CHANNEL_LABELS)),
            (_("Consent given on"), when(v.consented_at)),
        ],
    )
)

record_kind(
    RecordKind(
        key="volunteer_answers",
        title=_l("Call-outs you were asked to help with"),
        position=19,
        query=replies_query,
        export=lambda r: {
            "message": r.callout.message,
            "asked_at": r.callout.created_at,
            "answer": r.answer,
            "answered_at": r.answered_at,
            "answered_via": r.answered_via,
        },
        show=lambda r: [
            (_("Message"), r.callout.message),
            (_("Asked on"), when(r.callout.created_at)),
            (_("Your answer"), str(ANSWER_WORDS[r.answer])),
        ],
    )
)
