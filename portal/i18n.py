"""Language and display preferences: ?lang=, the text-size steps, the high-contrast theme and the
read-aloud speed.

All four are remembered in cookies, so they work with JavaScript off and survive a restart.
"""

from urllib.parse import quote, urlencode

from flask import g, request
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGES = {"zh": "zh_Hans_CN", "en": "en"}
HTML_LANG = {"zh_Hans_CN": "zh-CN", "en": "en"}
SPEECH_LANG = {"zh_Hans_CN": "zh-CN", "en": "en-US"}
TEXT_SIZES = ("1", "2", "3")
CONTRASTS = ("normal", "high")
SPEECH_SPEEDS = ("normal", "slow")
YEAR = 365 * 24 * 3600
ROLE_LABELS = {
    "admin": _l("administrator"),
    "staff": _l("community staff"),
    "gridworker": _l("grid worker"),
    "volunteer": _l("volunteer"),
    "nurse": _l("health-station nurse"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def select_locale() -> str:
    wanted = request.args.get("lang") or request.cookies.get("lang")
    return LANGUAGES.get(wanted, LANGUAGES["zh"])


def current_lang_code() -> str:
    return "en" if str(get_locale()) == "en" else "zh"


def quoted_path() -> str:
    """This page's path as it may go into a link: what is not allowed raw in a URL (a NUL byte, a space)
    is percent-encoded, so an odd address cannot put control characters into the page."""
    return quote(request.path, safe="/:@!$&'()*+,;=-._~")


def current_url() -> str:
    """This page's path and query, for a form's `next`."""
    query = request.query_string.decode("latin-1")
    return quoted_path() + (f"?{quote(query, safe='=&%+/:@!$()*,;-._~')}" if query else "")


def url_with_lang(code: str) -> str:
    args = request.args.to_dict()
    args["lang"] = code
    return quoted_path() + "?" + urlencode(args)


def display_prefs() -> dict:
    size = request.cookies.get("textsize", "1")
    contrast = request.cookies.get("contrast", "normal")
    speech = request.cookies.get("speech", "normal")
    return {
        "text_size": size if size in TEXT_SIZES else "1",
        "contrast": contrast if contrast in CONTRASTS else "normal",
        # Read-aloud speed, for the browser's voice and the server's alike.
        "speech": speech if speech in SPEECH_SPEEDS else "normal",
    }


def remember(response, name: str, value: str):
    response.set_cookie(name, value, max_age=YEAR, samesite="Lax", httponly=True)
    return response


def i18n_context() -> dict:
    """What every page template needs: its language, the other language's link and the display preferences."""
    locale = str(get_locale())
    other = "zh" if current_lang_code() == "en" else "en"
    return {
        "html_lang": HTML_LANG.get(locale, "zh-CN"),
        "speech_lang": SPEECH_LANG.get(locale, "zh-CN"),
        "lang_code": current_lang_code(),
        "other_lang": other,
        "other_lang_url": url_with_lang(other),
        "prefs": display_prefs(),
        "account": g.get("account"),
    }


def translation_context() -> dict:
    """The templates' `_`, gettext and ngettext, bound to this request's translations once per page.

    flask-babel's own template callables look the translations up again on every call (request and
    app context, domain, cache), which was about a third of rendering a page. These do what Jinja's
    newstyle gettext does (the words as markup when the template escapes, then % with the values,
    which are escaped), calling the catalogue directly; and `_` is gettext itself rather than Jinja's
    alias that looks gettext up again, so each `{{ _("...") }}` is one call instead of three. Macros
    imported without context still use flask-babel's, and give the same words."""
    translations = get_translations()
    gettext, ngettext = bound_gettext(translations.ugettext), bound_ngettext(translations.ungettext)
    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def bound_gettext(catalogue_gettext):
    @pass_context
    def gettext(__context, __string: str, **variables) -> str:
        rv = catalogue_gettext(__string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables  # always a format string, as in Jinja's newstyle gettext ("%%" is "%")

    return gettext


def bound_ngettext(catalogue_ngettext):
    @pass_context
    def ngettext(__context, __singular: str, __plural: str, __num: int, **variables) -> str:
        variables.setdefault("num", __num)
        rv = catalogue_ngettext(__singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return ngettext


# (language, id of a lazy string) -> (the lazy string, its words in that language); see word().
_WORDS: dict[tuple[str, int], tuple[object, str]] = {}


def word(text) -> str:
    """A label (a lazy string kept in a module, such as a state's name) in this request's language.

    str() of a lazy string asks flask-babel for the request's catalogue again on every call, and
    lists call these once or twice a row. The catalogues do not change while the app runs, so each
    label is translated once per language and process. The entry keeps the lazy string itself and is
    only used for that very object, so an id reused by another object never finds it."""
    if isinstance(text, str):
        return text
    key = (str(get_locale()), id(text))
    found = _WORDS.get(key)
    if found is None or found[0] is not text:
        found = _WORDS[key] = (text, str(text))
    return found[1]


def init_app(app):
    @app.after_request
    def remember_language(response):
        wanted = request.args.get("lang")
        if wanted in LANGUAGES and request.cookies.get("lang") != wanted:
            remember(response, "lang", wanted)
        return response
