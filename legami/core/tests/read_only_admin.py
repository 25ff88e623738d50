"""The check shared by the modules' admin tests: a read-only back office shows a record and
refuses to add, change or delete one, whatever is posted."""

from django.forms.models import model_to_dict


def assert_read_only_in_admin(client, obj) -> None:
    """`client` is a superuser's; `obj` is left exactly as it was."""
    meta = obj._meta
    base = f"/admin/{meta.app_label}/{meta.model_name}/"
    obj = type(obj)._default_manager.get(pk=obj.pk)  # as stored, not as the fixture left it
    before = model_to_dict(obj)
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}add/", {}).status_code == 403
    page = client.get(f"{base}{obj.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    data = {k: v for k, v in before.items() if v is not None and not isinstance(v, list)}
    assert client.post(f"{base}{obj.pk}/change/", data).status_code == 403
    assert client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert model_to_dict(type(obj)._default_manager.get(pk=obj.pk)) == before
