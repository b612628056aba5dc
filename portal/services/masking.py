"""Masking of personal data wherever full display is not needed."""


def mask_name(name: str) -> str:
    """Keep the first character (the family name), and the last one for names of three or more.

    王小明 -> 王*明, 王明 -> 王*, Li Na -> L***a.
    """
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str:
    """138****5678: enough for a person to recognise their own number, not enough to call it."""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
