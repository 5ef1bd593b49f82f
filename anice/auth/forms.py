"""Login, enrolment and account forms."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange

from ..text.numbers import NumberFormat

REQUIRED = _l("is required")

class LoginForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=320)],
                        render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField(_l("Authenticator code (or a recovery code)"),
                       validators=[DataRequired(REQUIRED), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password (at least 12 characters; a passphrase is best)"),
                             validators=[DataRequired(REQUIRED), Length(max=256)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the password"), validators=[DataRequired(REQUIRED)],
                            render_kw={"autocomplete": "new-password"})


class TotpForm(FlaskForm):
    code = StringField(_l("Code shown by the authenticator app"),
                       validators=[DataRequired(REQUIRED), Length(min=6, max=7)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class TokenForm(FlaskForm):
    name = StringField(_l("Name (what the token is for)"), validators=[DataRequired(REQUIRED),
                                                                     Length(max=100)])
    scope = SelectField(_l("Scope"), choices=[SelectChoice("read", _l("Read only")),
                                              SelectChoice("read-write", _l("Read and write"))])
    days = IntegerField(_l("Valid for (days)"), default=90,
                        validators=[DataRequired(REQUIRED), NumberRange(min=1)])  # maximum: service


class TimezoneForm(FlaskForm):
    timezone = StringField(_l("Time zone (e.g. Asia/Kuala_Lumpur)"),
                           validators=[DataRequired(REQUIRED), Length(max=64)])


# The member states' zones first: the ones nearly every officer picks.
MEMBER_ZONES = ("Asia/Bangkok", "Asia/Brunei", "Asia/Dili", "Asia/Ho_Chi_Minh", "Asia/Jakarta",
                "Asia/Jayapura", "Asia/Kuala_Lumpur", "Asia/Makassar", "Asia/Manila",
                "Asia/Phnom_Penh", "Asia/Pontianak", "Asia/Singapore", "Asia/Vientiane",
                "Asia/Yangon", "UTC")


def zone_choices() -> list[SelectChoice]:
    others = sorted(z for z in available_timezones() if z not in MEMBER_ZONES and "/" in z)
    return [SelectChoice(z, z.replace("_", " ")) for z in (*MEMBER_ZONES, *others)]


# NumberFormat.label in the reader's language (the English words stay on the enum for logs).
NUMBER_FORMATS = {
    NumberFormat.POINT: _l("1,234,567.89 (decimal point, thousands with commas)"),
    NumberFormat.COMMA: _l("1.234.567,89 (decimal comma, thousands with dots)"),
}


class RegionalForm(FlaskForm):
    """How the officer types and reads times and figures."""

    timezone = SelectField(_l("Time zone (dates and times are typed and shown in it)"),
                           validate_choice=False)  # the service checks the name
    number_format = SelectField(_l("Number format (how figures are typed and shown)"),
                                choices=[SelectChoice(f.value, NUMBER_FORMATS[f])
                                         for f in NumberFormat],
                                validate_choice=False)


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token: for POST buttons."""


class LanguageForm(FlaskForm):
    """The language switch: one button per language, and the page to come back to."""

    language = StringField(validators=[DataRequired(REQUIRED), Length(max=8)])
    next = HiddenField()
