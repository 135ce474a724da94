"""Django's admin behind the same second factor as the site.

Installed in place of ``django.contrib.admin``: ``admin.site`` (where every app registers its
models) is then django-otp's ``OTPAdminSite``, which lets in only sessions verified with a
confirmed device and asks for the code on its own sign-in form. ``xuncha.urls`` mounts it only
when ``ADMIN_ENABLED`` is set.
"""

from django.contrib.admin.apps import AdminConfig


class OTPAdminConfig(AdminConfig):
    default_site = "django_otp.admin.OTPAdminSite"
