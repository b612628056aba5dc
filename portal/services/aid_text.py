"""The words of mutual-aid messages (邻里互助): a text message, or the grid worker's call-list line, in Chinese
(the residents' language here) whatever language the grid worker pressing the button uses."""

from flask_babel import force_locale, gettext

from .dates import babel_locale

MESSAGE_LOCALE = "zh_Hans_CN"


def _short(text: str, length: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def matched_message(post, agreed: str) -> str:
    with force_locale(babel_locale(MESSAGE_LOCALE)):
        return gettext(
            "Linli: your grid worker has arranged mutual aid for “%(post)s”. What was agreed: %(agreed)s",
            post=_short(post.text),
            agreed=agreed,
        )


def still_needed_message(post) -> str:
    with force_locale(babel_locale(MESSAGE_LOCALE)):
        return gettext(
            "Linli: your post “%(post)s” closes in 2 days. Still needed? Keep it open or close it on the "
            "mutual-aid page, at a kiosk, or tell your grid worker.",
            post=_short(post.text),
        )
