"""Create an organization (tenant) and its first system administrator.

    python manage.py create_tenant --name 中国电信四川公司党委 --code sctelecom --admin zhangsan

The password is read from the XUNCHA_ADMIN_PASSWORD environment variable or asked for.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from accounts import services
from accounts.errors import DomainError
from accounts.models import Organization
from accounts.roles import Role
from history.context import RecordedCommand
from xuncha.tenancy import org_scope


class Command(RecordedCommand):
    help = "Create an organization (tenant) with its first system administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="e.g. 安顺市委")
        parser.add_argument("--code", required=True, help="short code, letters and digits")
        parser.add_argument("--parent", default="", help="code of the parent organization")
        parser.add_argument("--admin", required=True, help="username of the administrator")
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("XUNCHA_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        try:
            password_validation.validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if Organization.objects.filter(code=options["code"]).exists():
            raise CommandError(f"An organization with code {options['code']} exists already.")
        parent = None
        if options["parent"]:
            parent = Organization.objects.filter(code=options["parent"]).first()
            if parent is None:
                raise CommandError(f"No organization with code {options['parent']}.")
        with transaction.atomic():
            org = services.create_organization(
                name=options["name"], code=options["code"], parent=parent
            )
            with org_scope(org):  # a command has no request scope
                try:
                    services.create_member(
                        org=org,
                        actor=None,
                        username=options["admin"],
                        password=password,
                        roles=[Role.ORG_ADMIN],
                        email=options["email"],
                        full_name=options["full_name"],
                    )
                except DomainError as error:
                    raise CommandError(error.message) from error
        self.stdout.write(f"Created {org.name} with administrator {options['admin']}.")
