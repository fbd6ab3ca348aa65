import pytest
pytestmark = pytest.mark.django_db
def test_show(connecte, cast, url, a_venir, mailoutbox):
    connecte(cast["equipe_projet"]).post(url("inviter", a_venir))
    print(mailoutbox[0].message().as_string())
