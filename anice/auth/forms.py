"""Login, enrolment and account forms."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange


class LoginForm(FlaskForm):
    email = StringField("E-mail", validators=[DataRequired(), Length(max=320)],
                        render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    code = StringField("Authenticator code (or a recovery code)",
                       validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class PasswordForm(FlaskForm):
    password = PasswordField("New password (at least 12 characters; a passphrase is best)",
                             validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat the password", validators=[DataRequired()],
                            render_kw={"autocomplete": "new-password"})


class TotpForm(FlaskForm):
    code = StringField("Code shown by the authenticator app",
                       validators=[DataRequired(), Length(min=6, max=7)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class TokenForm(FlaskForm):
    name = StringField("Name (what the token is for)", validators=[DataRequired(),
                                                                     Length(max=100)])
    scope = SelectField("Scope", choices=[SelectChoice("read", "Read only"),
                                          SelectChoice("read-write", "Read and write")])
    days = IntegerField("Valid for (days)", default=90,
                        validators=[DataRequired(), NumberRange(min=1)])  # maximum: service


class TimezoneForm(FlaskForm):
    timezone = StringField("Time zone (e.g. Asia/Kuala_Lumpur)",
                           validators=[DataRequired(), Length(max=64)])


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token: for POST buttons."""
