"""Writing Open311 answers as JSON or XML, UTF-8 both, and the spec's error list in either format."""

import json
import re
from xml.etree import ElementTree as ET

from flask import make_response

from ..services.open311 import Open311Error

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The XML names of a list and of one item in it, per kind of answer.
# Characters XML 1.0 cannot carry at all (text is checked on the way in; this is the last guard).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XML_NAMES = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
    "attributes": ("attributes", "attribute"),
    "values": ("values", "value"),
}


def xml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def add_fields(parent: ET.Element, item: dict) -> None:
    for name, value in item.items():
        if isinstance(value, list):
            outer, inner = XML_NAMES[name]
            holder = ET.SubElement(parent, outer)
            for entry in value:
                add_fields(ET.SubElement(holder, inner), entry)
        else:
            ET.SubElement(parent, name).text = xml_text(value)


def to_xml(kind: str, body) -> bytes:
    """A list of items under its kind's root (<services><service>…), or one dict (<service_definition>)."""
    if isinstance(body, list):
        outer, inner = XML_NAMES[kind]
        root = ET.Element(outer)
        for item in body:
            add_fields(ET.SubElement(root, inner), item)
    else:
        root = ET.Element(kind)
        add_fields(root, body)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8")


def answer(kind: str, body, fmt: str, status: int = 200):
    if fmt == "xml":
        data = to_xml(kind, body)
    else:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    response = make_response(data, status)
    response.headers["Content-Type"] = CONTENT_TYPES[fmt]
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def error_answer(error: Open311Error, fmt: str):
    return answer("errors", [{"code": error.code, "description": error.description}], fmt, error.code)
