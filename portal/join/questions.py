"""The words of the sign-up questions, in two voices: the resident's own ("your") and a helper's
("the resident's"), and the plain-language error messages for every check in services/signup.py."""

from flask_babel import lazy_gettext as _l

from ..services import identity
from ..services.inputs import MESSAGES as INPUT_MESSAGES

MESSAGES = {
    "name_missing": _l("Enter your name"),
    "name_too_long": _l("The name must be 40 characters or fewer"),
    "name_invalid": _l("Enter a name made of letters or Chinese characters, not only numbers"),
    "phone_missing": _l("Enter a mobile phone number, or choose “I have no mobile phone”"),
    "phone_invalid": _l("Enter an 11-digit mobile number starting with 1, like 139 1234 5678"),
    "family_too_long": _l("Keep this to 120 characters or fewer"),
    "building_missing": _l("Choose your building"),
    "building_invalid": _l("Choose one of the buildings in the list"),
    "room_missing": _l("Enter your unit and room number, like 2-301"),
    "room_too_long": _l("The unit and room must be 40 characters or fewer"),
    "text_control": INPUT_MESSAGES["control"],
    "year_missing": _l("Enter the year you were born"),
    "year_format": _l("Enter the year you were born as 4 digits, like 1950"),
    "year_range": _l("Check the year you were born: it must be between 1900 and this year"),
    "needs_invalid": _l("Choose only from the list"),
    "consent_missing": _l("Tick the box to agree, or ask your grid worker about other ways to get help"),
}
# A helper reads the questions to the resident; the errors speak about the resident, not "you".
HELPER_MESSAGES = {
    "name_missing": _l("Enter the resident's name"),
    "building_missing": _l("Choose the resident's building"),
    "room_missing": _l("Enter the resident's unit and room number, like 2-301"),
    "year_missing": _l("Enter the year the resident was born"),
    "year_format": _l("Enter the year the resident was born as 4 digits, like 1950"),
    "consent_missing": _l("Tick the box to confirm that the resident agrees"),
}

QUESTIONS = {
    "self": {
        "name": _l("What is your name?"),
        "phone": _l("What is your mobile phone number?"),
        "family": _l("Who can we call for you?"),
        "home": _l("Which building do you live in?"),
        "birth_year": _l("What year were you born?"),
        "needs": _l("Is there anything your grid worker should know?"),
        "consent": _l("Do you agree to how we use your information?"),
    },
    "helper": {
        "name": _l("What is the resident's name?"),
        "phone": _l("What is the resident's mobile phone number?"),
        "family": _l("Who can we call for the resident?"),
        "home": _l("Which building does the resident live in?"),
        "birth_year": _l("What year was the resident born?"),
        "needs": _l("Is there anything the grid worker should know?"),
        "consent": _l("Does the resident agree to how we use their information?"),
    },
}

# Short labels for the check-your-answers page.
SUMMARY_LABELS = {
    "name": _l("Name"),
    "phone": _l("Mobile phone"),
    "family": _l("Family contact"),
    "home": _l("Building and room"),
    "birth_year": _l("Year of birth"),
    "needs": _l("Needs"),
    "consent": _l("Agreement"),
}

NEED_LABELS = {
    "self": {
        "lives_alone": _l("I live alone"),
        "difficulty_walking": _l("I find it hard to walk or climb stairs"),
        "hearing_difficulty": _l("I have difficulty hearing"),
        "sight_difficulty": _l("I have difficulty seeing"),
        "no_smartphone": _l("I do not have a smartphone"),
    },
    "helper": {
        "lives_alone": _l("Lives alone"),
        "difficulty_walking": _l("Finds it hard to walk or climb stairs"),
        "hearing_difficulty": _l("Has difficulty hearing"),
        "sight_difficulty": _l("Has difficulty seeing"),
        "no_smartphone": _l("Has no smartphone"),
    },
}


def message(code: str, voice: str) -> str:
    """The sign-up's own words, else the identification catalogue's (a paused phone, a code)."""
    if voice == "helper" and code in HELPER_MESSAGES:
        return str(HELPER_MESSAGES[code])
    return str(MESSAGES[code]) if code in MESSAGES else identity.message(code)


def messages(errors: dict, voice: str) -> dict:
    return {field: message(code, voice) for field, code in errors.items()}


HINTS = {
    "self": {
        "name": _l("Your full name, as your neighbours and grid worker know it."),
        "phone": _l("11 digits, for example 139 1234 5678. We use it only to contact you, and never show it in full."),
        "family": _l(
            "The name and phone number of a family member or neighbour, for example: daughter Wang Li, "
            "137 1234 5678. If there is nobody, leave this empty: your grid worker will visit you."
        ),
        "home": _l(
            "These are the buildings of %(grid)s. If yours is not in the list, this poster is for another "
            "grid: please ask your grid worker."
        ),
        "needs": _l("Tick any that apply, or none. It helps your grid worker know whom to visit first."),
    },
    "helper": {
        "name": _l("The resident's full name."),
        "phone": _l("11 digits, for example 139 1234 5678. Read it back to the resident to check it."),
        "family": _l(
            "The name and phone number of a family member or neighbour. If there is nobody, leave this "
            "empty: the grid worker will visit instead."
        ),
        "home": _l("These are the buildings of %(grid)s."),
        "needs": _l("Tick any that apply, or none."),
    },
}
NO_PHONE = {"self": _l("I have no mobile phone"), "helper": _l("The resident has no mobile phone")}


def hint(voice: str, step: str, **values) -> str:
    return str(HINTS[voice][step]) % values if values else str(HINTS[voice][step])
