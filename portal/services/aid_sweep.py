"""The mutual-aid sweep (`flask --app portal aid-sweep`, safe to run often): an open post gets a "still
needed?" reminder 2 days before it closes (a text, or a line on the grid worker's call list), and closes
as expired after its 14 days. Each step is claimed by a conditional UPDATE, so two sweeps at once send
one reminder and expire a post once."""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..models import AidPost
from .aid import tell
from .aid_text import still_needed_message
from .dates import as_utc_naive

REMIND_BEFORE = timedelta(days=2)


def sweep_aid(session, now: datetime) -> dict:
    """Reminders sent and posts expired by this call. Commits."""
    now_utc = as_utc_naive(now)
    due = session.scalars(
        select(AidPost)
        .where(
            AidPost.state == "open",
            AidPost.reminded_at.is_(None),
            AidPost.expires_at > now_utc,
            AidPost.expires_at <= now_utc + REMIND_BEFORE,
        )
        .options(joinedload(AidPost.resident))
    ).all()
    reminded = 0
    for post in due:
        claimed = session.execute(
            update(AidPost)
            .where(AidPost.id == post.id, AidPost.reminded_at.is_(None), AidPost.state == "open")
            .values(reminded_at=now_utc),
            execution_options={"synchronize_session": False},
        ).rowcount
        if claimed == 1:
            tell(session, post.resident, post, "still_needed", still_needed_message(post))
            reminded += 1
        session.commit()
    expired = session.execute(
        update(AidPost)
        .where(AidPost.state == "open", AidPost.expires_at <= now_utc)
        .values(state="expired", closed_at=now_utc),
        execution_options={"synchronize_session": False},
    ).rowcount
    session.commit()
    return {"reminded": reminded, "expired": expired}
