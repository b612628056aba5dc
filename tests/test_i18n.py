"""Every string shown to users is in the catalogs, with a Chinese translation; ?lang= switches and sticks."""

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.config import ROOT

CATALOGS = ROOT / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}


def extracted_ids():
    found = set()
    for directory in ("portal", "templates"):
        method_map = [("**.py", "python")] if directory == "portal" else [("**.html", "jinja2")]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / directory), method_map=method_map, keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def load(language):
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


def catalog_ids(catalog):
    return {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}


def test_every_extracted_string_is_in_both_catalogs():
    ids = extracted_ids()
    assert len(ids) > 100
    for language in ("zh_Hans_CN", "en"):
        missing = ids - catalog_ids(load(language))
        assert not missing, f"not in the {language} catalog (run flask translate extract/update): {sorted(missing)}"


def test_every_string_has_a_chinese_translation():
    untranslated = []
    for message in load("zh_Hans_CN"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            untranslated.append(message.id)
    assert not untranslated, f"no Chinese translation for: {untranslated}"


def test_chinese_translations_keep_their_placeholders():
    for message in load("zh_Hans_CN"):
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", source)) == set(re.findall(r"%\(\w+\)[sd]", translated)), source


JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
ATTRIBUTE_TEXT = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"{]*[A-Za-z\u4e00-\u9fff][^"{]*)"')
# Words that are the same in every language: the other language's own name, and the brand.
ALLOWED = {"English", "中文", "邻里", "Linli"}


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates").rglob("*.html"))
)
def test_templates_have_no_untranslated_text(template):
    source = (ROOT / "templates" / template).read_text()
    assert not ATTRIBUTE_TEXT.findall(source), f"{template}: attribute text outside gettext"
    text = TAG.sub(" ", JINJA.sub(" ", source))
    text = re.sub(r"&\w+;|&#\d+;|[\w-]+=\"[^\"]*\"", " ", text)  # entities, and attributes built by macros
    words = [w for w in re.findall(r"[A-Za-z\u4e00-\u9fff]+", text) if w not in ALLOWED]
    assert not words, f"{template}: text outside gettext: {words[:10]}"


def test_default_language_is_chinese(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN"' in html
    assert "欢迎使用邻里社区服务" in html


def test_lang_parameter_switches_and_is_remembered(client):
    html = client.get("/privacy?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "How we use your information" in html
    html = client.get("/").get_data(as_text=True)
    assert "Welcome to Linli" in html
    html = client.get("/?lang=zh").get_data(as_text=True)
    assert "欢迎使用" in html
    assert "欢迎使用" in client.get("/").get_data(as_text=True)


def test_english_pages_show_no_chinese_outside_names(client, auth):
    client.get("/?lang=en")
    auth.login("staff")
    for url in ["/", "/login", "/privacy", "/me", "/communities/1", "/grids/1/residents", "/nope"]:
        html = client.get(url).get_data(as_text=True)
        body = TAG.sub(" ", html.split("<body", 1)[1])
        # Residents' own names stay Chinese; staff display names carry both.
        body = re.sub(r"[\u4e00-\u9fff]\*+[\u4e00-\u9fff]?|陈社工|女儿", " ", body)
        chinese = [w for w in re.findall(r"[\u4e00-\u9fff]+", body) if w not in ALLOWED]
        assert not chinese, f"{url}: Chinese text on an English page: {chinese[:10]}"


def test_language_switch_link_keeps_the_page(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert 'href="/privacy?lang=en"' in html
