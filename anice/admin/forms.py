"""Administration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from ..models import AgencyKind
from ..text.labels import lazy_label
from ..text.locales import N_

# The kinds' words (label()), marked here for the catalog and shown through _l.
KIND_WORDS = (N_("Police"), N_("Customs"), N_("IP office"), N_("Prosecution service"),
              N_("Market authority"), N_("Secretariat"), N_("Other"))
REQUIRED = _l("is required")
NOT_EMAIL = _l("is not a valid e-mail address")
KIND_CHOICES = [SelectChoice(k.value, lazy_label(k)) for k in AgencyKind]


class InviteForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(REQUIRED), Email(NOT_EMAIL),
                                                  Length(max=320)])
    role = SelectField(_l("Role"), validators=[DataRequired(REQUIRED)])
    agency = SelectField(_l("Agency"), coerce=int, validators=[DataRequired(REQUIRED)])


class AgencyForm(FlaskForm):
    country = SelectField(_l("Country"), validators=[DataRequired(REQUIRED)])
    code = StringField(_l("Code (used in case references, e.g. KPDN)"),
                       validators=[DataRequired(REQUIRED), Length(min=2, max=16)])
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)


class AgencyEditForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    active = BooleanField(_l("Active"))
    tell_holders = BooleanField(_l("Tell right holders when their rights are confirmed in this "
                                "agency's cases (each case may say otherwise)"))


class CountryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=80)])
    currency = StringField(_l("Currency (ISO 4217)"),
                           validators=[DataRequired(REQUIRED), Length(3, 3)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(REQUIRED), Length(max=64)])
    active = BooleanField(_l("Active"))


class RoleForm(FlaskForm):
    role = SelectField(_l("New role"), validators=[DataRequired(REQUIRED)])


class DeactivateForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(REQUIRED), Length(max=500)])
