"""Administration forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from ..models import AgencyKind
from ..text.labels import label

KIND_CHOICES = [SelectChoice(k.value, label(k)) for k in AgencyKind]


class InviteForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = StringField("E-mail", validators=[DataRequired(), Email(), Length(max=320)])
    role = SelectField("Role", validators=[DataRequired()])
    agency = SelectField("Agency", coerce=int, validators=[DataRequired()])


class AgencyForm(FlaskForm):
    country = SelectField("Country", validators=[DataRequired()])
    code = StringField("Code (used in case references, e.g. KPDN)",
                       validators=[DataRequired(), Length(min=2, max=16)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=KIND_CHOICES)


class AgencyEditForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=KIND_CHOICES)
    active = BooleanField("Active")
    tell_holders = BooleanField("Tell right holders when their rights are confirmed in this "
                                "agency's cases (each case may say otherwise)")


class CountryForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    currency = StringField("Currency (ISO 4217)", validators=[DataRequired(), Length(3, 3)])
    timezone = StringField("Time zone", validators=[DataRequired(), Length(max=64)])
    active = BooleanField("Active")


class RoleForm(FlaskForm):
    role = SelectField("New role", validators=[DataRequired()])


class DeactivateForm(FlaskForm):
    reason = StringField("Reason", validators=[DataRequired(), Length(max=500)])
