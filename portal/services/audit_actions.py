"""Every action the audit log can record, with the words the audit page shows for it in either language.

record_event() refuses a code that is not here, and tests/test_audit_actions.py reads every call that writes
an event and checks its code is here with a Chinese and an English label. So a new kind of event cannot
reach the audit page as a raw code.
"""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "assist.start": _l("Started helping a resident"),
    "assist.end": _l("Stopped helping a resident"),
    "assist.timeout": _l("Help session ended after 30 minutes"),
    "assist.extend": _l("Help session extended"),
    "request.file": _l("Filed a request"),
    "request.cancel": _l("Cancelled a request for the resident"),
    "request.publish": _l("Made the description of a request public in the open data"),
    "request.unpublish": _l("Took the description of a request out of the open data"),
    "open311.key_create": _l("Made an Open311 key for a partner"),
    "open311.key_revoke": _l("Revoked an Open311 key of a partner"),
    "phone.view": _l("Viewed a full phone number"),
    "card.reissue": _l("Reissued a resident card"),
    "audit.export": _l("Exported the audit log"),
    "booking.create": _l("Booked a health check"),
    "booking.change": _l("Changed the time of a health check"),
    "booking.cancel": _l("Cancelled a health check"),
    "booking.cancel_closure": _l("Health check cancelled: the station is closed"),
    "booking.walk_in": _l("Walk-in at the health station"),
    "booking.walk_in_over_capacity": _l("Walk-in at the health station, over the places"),
    "booking.check_in": _l("Checked in at the health station"),
    "booking.no_show": _l("Did not come to a health check"),
    "booking.reminder_call": _l("Phoned with a reminder"),
    "booking.reminder_call_undone": _l("Reminder call taken back"),
    "resident.register": _l("Registered a resident"),
    "resident.identify": _l("The resident showed who they are"),
    "resident.contact_view": _l("Saw phone numbers on the reminder call list"),
    "resident.identify_failed": _l("Identification did not match"),
    "resident.identify_paused": _l("Identification paused for 15 minutes after 5 failed tries"),
    "kiosk.register": _l("Registered a kiosk"),
    "kiosk.code": _l("Made a kiosk activation code"),
    "kiosk.activate": _l("A kiosk was set up with its activation code"),
    "kiosk.switch_off": _l("Switched a kiosk off"),
    "kiosk.switch_on": _l("Switched a kiosk on again"),
    "kiosk.paper": _l("Changed the paper a kiosk prints on"),
    "kiosk.call": _l("Called a member of staff to a kiosk"),
    "kiosk.call_share": _l("Let the staff see who called from the kiosk"),
    "kiosk.call_answer": _l("Answered a call from a kiosk: on the way"),
    "kiosk.call_done": _l("Finished a call from a kiosk"),
    "poster.replace": _l("Replaced the code of a poster"),
    "mydata.view": _l("Looked at My information with the resident"),
    "mydata.download": _l("Printed or downloaded My information with the resident"),
    "mydata.correction_ask": _l("Asked for a correction of the resident record"),
    "mydata.correction_apply": _l("Corrected the resident record as they asked"),
    "mydata.correction_decline": _l("Declined a correction the resident asked for"),
    "mydata.removal_ask": _l("Asked for the resident to be removed"),
    "mydata.removal_decline": _l("Declined to remove the resident"),
    "resident.remove": _l("Removed the resident: their record was anonymised"),
    "activity.create": _l("Created a community activity"),
    "activity.edit": _l("Changed a community activity"),
    "activity.sign_up": _l("Signed up for a community activity"),
    "activity.wait": _l("Joined the waiting list of a community activity"),
    "activity.promoted": _l("Got a place at an activity from the waiting list"),
    "activity.cancel": _l("Cancelled a place at a community activity"),
    "activity.leave_waiting": _l("Left the waiting list of a community activity"),
    "activity.remove": _l("Removed someone from a community activity"),
    "activity.cancel_all": _l("Cancelled a community activity"),
    "activity.check_in": _l("Checked in at a community activity"),
    "activity.close": _l("Closed a community activity and counted who came"),
    "activity.reminder_call": _l("Phoned about a community activity"),
    "notice.post": _l("Posted a notice"),
    "notice.edit": _l("Changed a notice"),
    "notice.withdraw": _l("Withdrew a notice"),
    "grid.work_phone": _l("Set the work phone of a grid worker"),
    # Topics and meetings (议事会)
    "topic.propose": _l("Proposed a topic for the neighbours' meeting"),
    "topic.edit": _l("Changed the words of a topic for clarity"),
    "topic.close": _l("Closed a topic"),
    "topic.hide": _l("Hid a topic"),
    "topic.reopen": _l("Opened a topic again"),
    "topic.support": _l("Supported a topic"),
    "topic.withdraw_support": _l("Took back the support of a topic"),
    "topic.meeting": _l("Chose the meeting for a topic"),
    "topic.outcome": _l("Recorded the outcome of a topic"),
    # Votes (网络微投票)
    "poll.create": _l("Created a poll"),
    "poll.vote": _l("Voted in a poll"),
    "poll.change_vote": _l("Changed a vote in a poll"),
    "poll.paper_ballot": _l("Entered a paper ballot"),
    "poll.paper_batch": _l("Entered a batch of paper ballots from a polling place"),
    # Volunteer register (活地图)
    "volunteer.register": _l("Joined the volunteer register, with consent"),
    "volunteer.change": _l("Changed an entry on the volunteer register"),
    "volunteer.leave": _l("Left the volunteer register: the entry was deleted"),
    "volunteer.contact_view": _l("Saw the name and phone number of a volunteer"),
    "volunteer.callout": _l("Asked volunteers to come and help (call-out)"),
    "volunteer.answer": _l("A volunteer answered a call-out from the link in the message"),
    "volunteer.answer_call": _l("Ticked a volunteer's answer to a call-out after phoning them"),
    # Mutual aid (邻里互助)
    "aid.post": _l("Posted a need or an offer for the neighbours"),
    "aid.propose": _l("Offered to help a neighbour, or asked for what a neighbour offers"),
    "aid.confirm": _l("Confirmed a match between neighbours, with what was agreed"),
    "aid.decline": _l("Declined a match between neighbours"),
    "aid.done": _l("Marked a neighbours' match as done"),
    "aid.close": _l("Closed a need or an offer"),
    "aid.renew": _l("Kept a need or an offer open for two more weeks"),
    "aid.report": _l("Reported a need or an offer to the grid worker"),
    "aid.hide": _l("Hid a need or an offer"),
    "aid.moderate_close": _l("Closed a need or an offer after a report"),
    "aid.restore": _l("Restored a need or an offer"),
    "aid.contact_view": _l("Saw the phone numbers of both sides of a match"),
    "aid.call": _l("Phoned or visited a resident about a need or an offer"),
}


class UnknownAuditAction(ValueError):
    """An event code with no label: add it to ACTION_LABELS, in words a member of staff understands."""


def check_action(code: str) -> str:
    if code not in ACTION_LABELS:
        raise UnknownAuditAction(f"audit action {code!r} has no label in services/audit_actions.py")
    return code


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
