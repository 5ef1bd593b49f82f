"""Forms of the holder pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from ..models import HolderCapacity, HolderKind

KINDS = [SelectChoice(k.value, _l(k.label)) for k in HolderKind]
CAPACITIES = [SelectChoice(HolderCapacity.OWNER.value, _l("Owner (the registered holder)")),
              SelectChoice(HolderCapacity.REPRESENTATIVE.value,
                           _l("Representative (under a power of attorney)"))]


class OrgForm(FlaskForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=KINDS)
    country = SelectField(_l("Kept by (member state)"), validators=[DataRequired()])
    identity_checked = TextAreaField(
        _l("How you checked who they are"),
        description=_l("Documents seen, registry extract, call-back to a known number ..."),
        validators=[DataRequired(), Length(max=2000)])


class PersonForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=320)])


class LinkForm(FlaskForm):
    office = StringField(_l("Office"), description=_l("MY, SG, ... or WO"),
                         validators=[DataRequired(), Length(min=2, max=2)])
    number = StringField(_l("Right number"), validators=[DataRequired(), Length(max=64)])
    capacity = SelectField(_l("The organisation is"), choices=CAPACITIES)
    holder_name = StringField(_l("Registered holder (as in the register)"),
                              validators=[DataRequired(), Length(max=300)])
    power_of_attorney = StringField(_l("Power of attorney (reference and date)"),
                                    validators=[Optional(), Length(max=300)])


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
