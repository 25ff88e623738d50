"""HSDS from the management page: every official example imports through the upload (a dry
run that writes nothing, then the confirmation that writes it all), a bad file is explained by
file, record and field and never a 500, only the system administrator imports or downloads,
and the download is what `hsds_import` and this page read back unchanged."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from legami.core import roles
from legami.directory.hsds import exporter
from legami.directory.models import Activity

from .test_hsds import EXAMPLES, EXPECTED, SERVICE_ID, counts

UPLOAD = "directory:hsds_import_upload"
CONFIRM = "directory:hsds_import_confirm"


@pytest.fixture
def imports_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path / "var" / "imports"


@pytest.fixture
def admin(client_for, personas):
    return client_for(roles.SUPERUSER)


def _file(name: str, content: bytes):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _example(name: str):
    path = EXAMPLES / name
    if path.is_dir():  # the tabular package, zipped inside its folder as one would send it
        files = {f"{name}/{p.name}": p.read_bytes() for p in path.iterdir() if p.is_file()}
        return _file(f"{name}.zip", _zip(files))
    return _file(name, path.read_bytes())


def _upload(client, upload, comune="053001"):
    return client.post(reverse(UPLOAD), {"file": upload, "comune": comune})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_official_example_imports_through_the_page(name, admin, geography, imports_dir):
    before = counts()
    response = _upload(admin, _example(name))
    assert response.status_code == 302 and response["Location"] == reverse(CONFIRM)
    preview = admin.get(reverse(CONFIRM))
    assert preview.status_code == 200
    assert counts() == before  # the dry run wrote nothing
    assert preview.context["outcome"]["errors"] == []
    assert preview.context["can_confirm"]
    done = admin.post(reverse(CONFIRM))
    assert done.status_code == 302 and done["Location"] == reverse("directory:manage")
    after = counts()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == EXPECTED[name]
    assert not list(imports_dir.glob("*.upload"))


def test_the_preview_says_what_would_be_created_and_confirming_twice_adds_nothing(
    admin, geography, imports_dir
):
    _upload(admin, _example("service_full.json"))
    body = admin.get(reverse(CONFIRM)).content.decode()
    summary = {row[0]: row[1:] for row in admin.get(reverse(CONFIRM)).context["outcome"]["summary"]}
    assert all(created == 1 for created, *_ in summary.values())
    assert 'type="submit"' in body
    assert not Activity.objects.filter(hsds_id=SERVICE_ID).exists()
    admin.post(reverse(CONFIRM))
    assert Activity.objects.filter(hsds_id=SERVICE_ID).count() == 1
    admin.post(reverse(CONFIRM))  # nothing waits any more
    assert Activity.objects.filter(hsds_id=SERVICE_ID).count() == 1
    # The same file again: every record unchanged, nothing new.
    _upload(admin, _example("service_full.json"))
    summary = admin.get(reverse(CONFIRM)).context["outcome"]["summary"]
    assert all(created == 0 and updated == 0 for _, created, updated, *_ in summary)


def test_cancel_writes_nothing_and_removes_the_file(admin, geography, imports_dir):
    before = counts()
    _upload(admin, _example("service_full.json"))
    assert len(list(imports_dir.glob("*.upload"))) == 1
    admin.post(reverse(CONFIRM), {"cancel": "1"})
    assert counts() == before and not list(imports_dir.glob("*.upload"))


@pytest.mark.parametrize(
    ("name", "content", "named"),
    [
        ("rotto.json", b'{"id": "x", "name": ', "rotto.json"),
        ("latin1.json", '{"name": "caff\xe8"}'.encode("latin-1"), "latin1.json"),
        ("archivio.zip", b"PK\x03\x04 not really a zip", "archivio.zip"),
        ("immagine.png", b"\x89PNG\r\n\x1a\n\x00\x00", "immagine.png"),
        ("numeri.json", b"[1, 2]", "numeri.json"),
        ("vuota.zip", _zip({}), "vuota.zip"),
        ("foto.zip", _zip({"foto.jpg": b"\xff\xd8"}), "foto.zip"),
    ],
)
def test_a_malformed_file_is_explained_and_nothing_is_written(
    admin, geography, imports_dir, name, content, named
):
    before = counts()
    response = _upload(admin, _file(name, content))
    assert response.status_code == 302
    preview = admin.get(reverse(CONFIRM))
    assert preview.status_code == 200
    outcome = preview.context["outcome"]
    assert outcome["errors"] and not preview.context["can_confirm"]
    assert any(named in error for error in outcome["errors"])
    assert 'role="alert"' in preview.content.decode()
    assert counts() == before and not list(imports_dir.glob("*.upload"))


def test_an_empty_file_is_refused_on_the_form(admin, geography, imports_dir):
    response = _upload(admin, _file("vuoto.json", b""))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not list(imports_dir.glob("*.upload"))


def test_a_record_without_a_name_is_named_with_its_field(admin, geography, imports_dir):
    service = json.loads((EXAMPLES / "service_full.json").read_text())
    service["name"] = ""
    _upload(admin, _file("servizio.json", json.dumps(service).encode()))
    errors = admin.get(reverse(CONFIRM)).context["outcome"]["errors"]
    assert any("servizio.json" in e and "name" in e for e in errors)
    assert not Activity.objects.filter(hsds_id=SERVICE_ID).exists()


def test_a_zip_cannot_write_outside_its_folder(admin, geography, imports_dir, tmp_path):
    document = (EXAMPLES / "organization_list.json").read_bytes()
    archive = _zip({"../../fuori.json": document, "/assoluto.json": document})
    _upload(admin, _file("trucco.zip", archive))
    assert admin.get(reverse(CONFIRM)).context["outcome"]["errors"] == []
    assert not (tmp_path / "fuori.json").exists() and not list(tmp_path.rglob("fuori.json"))


@pytest.mark.parametrize("role", [roles.PROVIDER, roles.TERRITORY_ADMIN, roles.CITIZEN])
def test_only_the_system_administrator_imports(client_for, geography, imports_dir, role):
    client = client_for(role)
    before = counts()
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert _upload(client, _example("service_full.json")).status_code == 403
    assert client.post(reverse(CONFIRM)).status_code == 403
    assert client.get(reverse("directory:hsds_export")).status_code == 403
    assert counts() == before and not list(imports_dir.glob("*.upload"))


def test_anonymous_visitors_are_sent_to_sign_in(client, geography):
    for name in (UPLOAD, CONFIRM, "directory:hsds_export"):
        assert client.get(reverse(name)).status_code == 302


def test_the_services_refuse_other_roles_themselves(world, personas, tmp_path):
    for role in (roles.PROVIDER, roles.TERRITORY_ADMIN):
        with pytest.raises(PermissionDenied):
            exporter.export_directory(tmp_path / role, by=personas[role], validate=False)


def test_the_links_are_on_the_manage_page_for_those_who_may(client_for, world):
    links = (reverse(UPLOAD), reverse("directory:hsds_export"))
    admin_page = client_for(roles.SUPERUSER).get(reverse("directory:manage")).content.decode()
    assert all(link in admin_page for link in links)
    for role in (roles.PROVIDER, roles.TERRITORY_ADMIN):
        page = client_for(role).get(reverse("directory:manage")).content.decode()
        assert not any(link in page for link in links)


def test_the_download_is_the_export_and_imports_back_unchanged(admin, world, imports_dir):
    response = admin.get(reverse("directory:hsds_export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        activity = world["activity"]
        service = json.loads(archive.read(f"services/{activity.hsds_id}.json"))
    assert service["name"] == "Camminata nei castagneti"
    # Drafts too, as the command writes them.
    assert f"services/{world['outside_activity'].hsds_id}.json" in names
    assert any(n.startswith("organizations/") for n in names)
    before = counts()
    _upload(admin, _file("legami-hsds.zip", response.content), comune="")
    outcome = admin.get(reverse(CONFIRM)).context["outcome"]
    assert outcome["errors"] == []
    assert all(created == 0 and updated == 0 for _, created, updated, *_ in outcome["summary"])
    admin.post(reverse(CONFIRM))
    assert counts() == before
