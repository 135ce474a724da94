import pytest
from django.urls import reverse
from tests.factories import PASSWORD

@pytest.mark.django_db
def test_probe(client, office_user):
    r = client.post(reverse("accounts:login"), {"username": "office", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    print(r.status_code, r.headers.get("Location"))
    if r.status_code == 200:
        print(r.context["form"].errors)
