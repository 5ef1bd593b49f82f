"""Forms of the holder pages."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from ..models import HolderCapacity, HolderKind

KINDS = [SelectChoice(k.value, k.label) for k in HolderKind]
CAPACITIES = [SelectChoice(HolderCapacity.OWNER.value, "Owner (the registered holder)"),
              SelectChoice(HolderCapacity.REPRESENTATIVE.value,
                           "Representative (under a power of attorney)")]


class OrgForm(FlaskForm):
    name = StringField("Organisation name", validators=[DataRequired(), Length(max=300)])
    kind = SelectField("Kind", choices=KINDS)
    country = SelectField("Kept by (member state)", validators=[DataRequired()])
    identity_checked = TextAreaField(
        "How you checked who they are",
        description="Documents seen, registry extract, call-back to a known number ...",
        validators=[DataRequired(), Length(max=2000)])


class PersonForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = StringField("E-mail", validators=[DataRequired(), Email(), Length(max=320)])


class LinkForm(FlaskForm):
    office = StringField("Office", description="MY, SG, ... or WO",
                         validators=[DataRequired(), Length(min=2, max=2)])
    number = StringField("Right number", validators=[DataRequired(), Length(max=64)])
    capacity = SelectField("The organisation is", choices=CAPACITIES)
    holder_name = StringField("Registered holder (as in the register)",
                              validators=[DataRequired(), Length(max=300)])
    power_of_attorney = StringField("Power of attorney (reference and date)",
                                    validators=[Optional(), Length(max=300)])


class ReasonForm(FlaskForm):
    reason = StringField("Reason", validators=[DataRequired(), Length(max=500)])
