"""What My information shows, prints and exports of the notices a resident has opened (the registry of
record kinds: portal/mydata/records.py): the notice, when they first opened it, and the channel and
the helper who opened it with them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..display import when
from ..i18n import current_lang_code
from ..models import NoticeRead
from ..mydata.kinds import origin_text, who
from ..mydata.records import RecordKind, record_kind
from ..requests.words import REQUEST_CHANNEL_LABELS
from ..services.notices import notice_text

record_kind(
    RecordKind(
        key="notice_reads",
        title=_l("Notices you have read"),
        position=25,
        query=lambda r: (
            select(NoticeRead)
            .where(NoticeRead.resident_id == r.id)
            .order_by(NoticeRead.read_at.desc(), NoticeRead.id.desc())
            .options(joinedload(NoticeRead.notice), joinedload(NoticeRead.entered_by))
        ),
        export=lambda n: {
            "notice": n.notice.title,
            "notice_id": n.notice_id,
            "read_at": n.read_at,
            "channel": n.channel,
            "entered_by": who(n.entered_by),
            "kiosk_id": n.kiosk_id,
        },
        show=lambda n: [
            (_("Notice"), notice_text(n.notice, current_lang_code())[0]),
            (_("First read on"), when(n.read_at)),
            (_("How you opened it"), origin_text(n, REQUEST_CHANNEL_LABELS)),
        ],
    )
)
