"""Django's and django-otp's own messages, in the words our users say.

Django's Chinese catalogue calls the value of a form field "变量" or "字段", writes half-width
brackets and stray spaces; django-otp has no Chinese at all, so its sign-in messages would show
in English. Each message below is theirs, word for word: listed here, ``makemessages`` keeps it
in our catalogue, and our translation wins over theirs (``LOCALE_PATHS`` come first). Nothing
needs to import this module; tests/test_translations.py checks every entry is still a message
of the library.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

DJANGO = (
    # Django 6.1's empty-choice label; its own zh_Hans catalogue has no entry yet.
    _("- Select an option -"),
    _("This field is required."),
    _("This field cannot be blank."),
    _("This field cannot be null."),
    _("Enter a valid value."),
    _("Enter a valid email address."),
    _("Enter a whole number."),
    _("Enter a number."),
    _("Enter a valid date."),
    _("Enter a valid time."),
    _("Enter a valid date/time."),
    _("Enter a list of values."),
    _("Enter only digits separated by commas."),
    _("Ensure this value is less than or equal to %(limit_value)s."),
    _("Ensure this value is greater than or equal to %(limit_value)s."),
    _("Ensure this value is %(limit_value)s (it is %(show_value)s)."),
    _("Select a valid choice. %(value)s is not one of the available choices."),
    _("Select a valid choice. That choice is not one of the available choices."),
    _("“%(pk)s” is not a valid value."),
    _("Value %(value)r is not a valid choice."),
    _("%(model_name)s with this %(field_label)s already exists."),
    _("Null characters are not allowed."),
    _("No file was submitted."),
    _("The submitted file is empty."),
    _("(Hidden field %(name)s) %(error)s"),
    # django.contrib.auth: sign-in, password change and the password rules.
    _(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    _("This account is inactive."),
    _("The two password fields didn’t match."),
    _("Your old password was entered incorrectly. Please enter it again."),
    _("Old password"),
    _("New password confirmation"),
    _("Enter the same password as before, for verification."),
    _("The password is too similar to the %(verbose_name)s."),
    _("Your password can’t be too similar to your other personal information."),
    _("This password is too common."),
    _("Your password can’t be a commonly used password."),
    _("This password is entirely numeric."),
    _("Your password can’t be entirely numeric."),
)

DJANGO_PLURAL = (
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
    ),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
)

# django-otp (the admin's sign-in form shows them; ours answers a wrong code like a wrong
# password, see accounts.forms.LoginForm).
DJANGO_OTP = (
    _("Please enter your OTP token."),
    _("Error generating challenge: {0}"),
    _("The selected OTP device is not interactive"),
    _("OTP Challenge: {0}"),
    _("Invalid token. Please make sure you have entered it correctly."),
    _("Verification of the token is currently disabled"),
    _("Please select a device."),
    _("OTP Device:"),
    _("OTP Token:"),
    _("Get OTP Challenge"),
)

DJANGO_OTP_PLURAL = (
    ngettext_lazy(
        "Verification temporarily disabled because of %(failure_count)d failed attempt, please "
        "try again soon.",
        "Verification temporarily disabled because of %(failure_count)d failed attempts, please "
        "try again soon.",
    ),
)
