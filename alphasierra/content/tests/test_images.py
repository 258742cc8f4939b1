"""Images uploaded by a site's managers: judged by their content, rebuilt from
their pixels (no EXIF, no payload), stored under a random name, served with
their type and a policy that runs nothing; the images page and who reaches it."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve
from PIL import ExifTags, ImageFile
from PIL import Image as Pillow
from PIL.PngImagePlugin import PngInfo

from alphasierra.audit.models import AuditEvent
from alphasierra.content.images import MAX_BYTES, NOT_AN_IMAGE, TOO_HEAVY, TOO_LARGE, image_checked
from alphasierra.content.models import Home, Image, NewsItem
from alphasierra.content.services.editing import home_draft_save, news_create, news_draft_save, revision_publish
from alphasierra.content.services.images import image_delete, image_upload
from alphasierra.organisations.models import Organisation
from alphasierra.testing import PortalClient

pytestmark = pytest.mark.django_db

IMAGES = "/sud-ouest/gestion/contenu/images/"
STORED_NAME = re.compile(r"^contenu/[0-9a-f]{32}\.(jpg|png|webp)$")


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def content_events() -> int:
    # Not every event: a first visit to an association's site links an agent to it.
    return AuditEvent.objects.filter(action__startswith="content.").count()


def files_in(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


# --- Files, good and hostile ---------------------------------------------------


def picture(fmt: str = "JPEG", size: tuple[int, int] = (40, 30), colour: str = "teal", **save: object) -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", size, colour).save(out, fmt, **save)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, pixels: bytes = b"") -> bytes:
    """A PNG whose header announces ``width`` × ``height``, with little or no data behind it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(pixels or b"\0" * 64, 9))
        + png_chunk(b"IEND", b"")
    )


def halves(size: tuple[int, int] = (40, 20)) -> Pillow.Image:
    """Red on the left half, blue on the right."""
    image = Pillow.new("RGB", size, "blue")
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def jpeg_with_gps(orientation: int = 1) -> bytes:
    exif = Pillow.Exif()
    exif[ExifTags.Base.Make] = "AppareilSecret"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (43.0, 37.0, 44.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (1.0, 22.0, 3.0),
            ExifTags.GPS.GPSMapDatum: "WGS-84-DOMICILE",
        }
    )
    out = io.BytesIO()
    halves().save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def spy_on_decoding(monkeypatch) -> list[object]:
    """The images whose pixels Pillow was asked to decode."""
    decoded: list[object] = []

    def load(self: ImageFile.ImageFile) -> None:
        decoded.append(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return decoded


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        image_checked(io.BytesIO(data))
    return refused.value.messages[0]


# GIF89a, then a comment opening that a browser reading it as a script skips.
GIF_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04*/=alert(document.domain)//;"
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PAYLOAD = b"<html><script>alert(document.cookie)</script></html>"


# --- Checking by content -------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Ceci n'est pas une image.\n", id="text named .png"),
        pytest.param(picture("GIF"), id="gif"),
        pytest.param(GIF_POLYGLOT, id="gif-js polyglot"),
        pytest.param(SVG_WITH_SCRIPT, id="svg with a script"),
        pytest.param(PDF, id="pdf"),
        pytest.param(picture("BMP"), id="bmp"),
        pytest.param(picture("JPEG")[:200], id="truncated jpeg"),
        pytest.param(b"", id="empty"),
    ],
)
def test_anything_but_a_whole_jpeg_png_or_webp_is_refused_whatever_its_name(data):
    assert refusal(data) == NOT_AN_IMAGE


def test_more_than_5_mb_is_refused_before_being_opened():
    assert refusal(picture() + b"\0" * MAX_BYTES) == TOO_HEAVY


def test_an_image_wider_than_6000_pixels_is_refused():
    assert refusal(picture("PNG", size=(6001, 2))) == TOO_LARGE


def test_an_image_of_6000_pixels_a_side_is_accepted():
    assert image_checked(io.BytesIO(picture("PNG", size=(6000, 2)))).width == 6000


@pytest.mark.parametrize(
    ("width", "height"), [(10_000, 10_000), (2, 6_001), (50_000, 50_000)], ids=["warned", "tall", "pillow's error"]
)
def test_a_header_claiming_too_many_pixels_is_refused_before_any_pixel_is_decoded(monkeypatch, width, height):
    decoded = spy_on_decoding(monkeypatch)

    assert refusal(png_claiming(width, height)) == TOO_LARGE
    assert decoded == []


def test_a_decompression_bomb_is_refused_without_being_inflated(monkeypatch):
    # 100 MB of zeros in a few kilobytes, behind a header of 40,000 × 40,000 pixels.
    bomb = png_claiming(40_000, 40_000, pixels=b"\0" * 100_000_000)
    assert len(bomb) < 200_000
    decoded = spy_on_decoding(monkeypatch)

    assert refusal(bomb) == TOO_LARGE
    assert decoded == []


@pytest.mark.parametrize(("fmt", "kind"), [("JPEG", "jpeg"), ("PNG", "png"), ("WEBP", "webp")])
def test_jpeg_png_and_webp_are_accepted_and_reencoded_in_their_format(fmt, kind):
    checked = image_checked(io.BytesIO(picture(fmt, size=(64, 48))))

    assert (checked.format, checked.width, checked.height) == (kind, 64, 48)
    assert Pillow.open(io.BytesIO(checked.data)).format == fmt


def test_a_payload_after_the_end_of_a_jpeg_does_not_survive():
    checked = image_checked(io.BytesIO(picture() + PAYLOAD))

    assert b"<script" not in checked.data
    assert b"alert" not in checked.data
    assert checked.data.endswith(b"\xff\xd9")


def test_a_png_text_chunk_does_not_survive():
    image = Pillow.new("RGB", (20, 20), "white")
    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)

    checked = image_checked(io.BytesIO(out.getvalue()))

    assert b"<script" not in checked.data
    assert b"tEXt" not in checked.data
    assert Pillow.open(io.BytesIO(checked.data)).info == {}


def test_gps_and_every_other_exif_field_are_gone():
    original = jpeg_with_gps()
    assert Pillow.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's own premise

    checked = image_checked(io.BytesIO(original))

    stored = Pillow.open(io.BytesIO(checked.data))
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"Exif\x00\x00" not in checked.data
    assert b"WGS-84-DOMICILE" not in checked.data
    assert b"AppareilSecret" not in checked.data


def test_the_orientation_of_the_camera_is_applied_then_forgotten():
    # Orientation 6: the camera was turned a quarter to the right; shown upright,
    # the 40 × 20 picture is 20 × 40, its left half (red) on top.
    checked = image_checked(io.BytesIO(jpeg_with_gps(orientation=6)))

    upright = Pillow.open(io.BytesIO(checked.data)).convert("RGB")
    assert upright.size == (20, 40)
    red, _green, blue = upright.getpixel((10, 5))  # type: ignore[misc]
    assert red > 200
    assert blue < 60
    red, _green, blue = upright.getpixel((10, 35))  # type: ignore[misc]
    assert blue > 200
    assert red < 60
    assert ExifTags.Base.Orientation not in upright.getexif()


def test_a_transparent_png_stays_transparent():
    image = Pillow.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")

    stored = Pillow.open(io.BytesIO(image_checked(io.BytesIO(out.getvalue())).data))

    assert stored.mode == "RGBA"
    assert stored.getpixel((5, 5))[3] == 0  # type: ignore[index]


# --- Storing ---------------------------------------------------------------------------


def test_an_upload_is_stored_reencoded_under_a_random_name_and_audited(media, cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    data = picture() + PAYLOAD

    first = image_upload(
        organisation=sud_ouest, actor=cast.bruno, upload=upload(data, "passeport-dupont.jpg"), alt="  Le car  "
    )
    second = image_upload(organisation=sud_ouest, actor=cast.bruno, upload=upload(data), alt="Le car")

    assert STORED_NAME.match(str(first.file.name))
    assert "passeport" not in str(first.file.name)
    assert first.file.name != second.file.name
    assert (first.alt, first.format, first.width, first.height) == ("Le car", "jpeg", 40, 30)
    stored = (media / first.file.name).read_bytes()
    assert first.size == len(stored)
    assert PAYLOAD not in stored
    assert resolve(first.url).url_name == "media"
    event = AuditEvent.objects.get(action="content.image_uploaded", data__id=first.pk)
    assert (event.actor, event.organisation) == (cast.bruno, sud_ouest)
    assert "passeport" not in str(event.data)


@pytest.mark.parametrize(
    ("data", "alt", "field"),
    [
        (picture("GIF"), "Le car", "file"),
        (picture(), "   ", "alt"),
        (picture(), "x" * 251, "alt"),
    ],
    ids=["gif", "blank alt", "alt too long"],
)
def test_a_refused_upload_stores_nothing(media, cast, data, alt, field):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")

    with pytest.raises(ValidationError) as refused:
        image_upload(organisation=sud_ouest, actor=cast.bruno, upload=upload(data), alt=alt)

    assert list(refused.value.message_dict) == [field]
    assert not Image.objects.exists()
    assert files_in(media) == []
    assert not AuditEvent.objects.filter(action="content.image_uploaded").exists()


# --- Serving ---------------------------------------------------------------------------


def test_an_image_is_served_with_its_type_nosniff_a_policy_that_runs_nothing_and_a_long_cache(media, cast):
    sud_ouest = Organisation.objects.get(slug="sud-ouest")
    image = image_upload(
        organisation=sud_ouest, actor=cast.bruno, upload=upload(picture("PNG"), "x.jpg", "image/jpeg"), alt="Logo"
    )

    response = PortalClient().get(image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content) == (media / image.file.name).read_bytes()  # type: ignore[attr-defined]


def test_an_unknown_image_is_a_404_even_when_a_file_of_that_name_exists(media):
    orphan = "contenu/" + "a" * 32 + ".jpg"
    (media / "contenu").mkdir()
    (media / orphan).write_bytes(picture())

    assert PortalClient().get("/media/" + orphan).status_code == 404
    assert PortalClient().get("/media/contenu/" + "b" * 32 + ".png").status_code == 404
    assert PortalClient().get("/media/contenu/../../settings.py").status_code == 404


def test_an_image_whose_file_is_missing_is_a_404(media, cast):
    image = image_upload(
        organisation=Organisation.objects.get(slug="sud-ouest"), actor=cast.bruno, upload=upload(picture()), alt="Car"
    )
    (media / image.file.name).unlink()

    assert PortalClient().get(image.url).status_code == 404


def test_a_head_request_gets_the_headers_without_the_image(media, cast):
    image = image_upload(
        organisation=Organisation.objects.get(slug="sud-ouest"), actor=cast.bruno, upload=upload(picture()), alt="Car"
    )

    response = PortalClient().head(image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == b""  # type: ignore[attr-defined]


# --- Deleting ---------------------------------------------------------------------------


def uploaded(cast, alt: str = "Le car du CLAS", site: str = "sud-ouest") -> Image:
    organisation = Organisation.objects.get(slug=site)
    actor = cast.bruno if site == "sud-ouest" else cast.nadia
    return image_upload(organisation=organisation, actor=actor, upload=upload(picture()), alt=alt)


def news_values(**values: object) -> dict[str, object]:
    return {"title": "Sortie ski", "summary": "Inscriptions ouvertes", "body": "", "image": None, **values}


def test_an_unused_image_is_deleted_with_its_file_and_audited(media, cast, django_capture_on_commit_callbacks):
    image = uploaded(cast)

    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=image, actor=cast.bruno)

    assert not Image.objects.exists()
    assert files_in(media) == []
    assert AuditEvent.objects.filter(action="content.image_deleted", actor=cast.bruno, data__id=image.pk).exists()


@pytest.mark.parametrize(
    "use",
    ["home image", "home draft image", "news image", "news draft image", "news text", "page draft text"],
)
def test_an_image_in_use_is_not_deleted(media, cast, django_capture_on_commit_callbacks, use):
    image = uploaded(cast)
    sud_ouest = image.organisation
    home_values = {"banner_title": "Bienvenue", "banner_text": "", "introduction": "", "tiles": [], "image": image}
    if use.startswith("home"):
        draft = home_draft_save(organisation=sud_ouest, actor=cast.bruno, values=home_values)
        if use == "home image":
            revision_publish(revision=draft, actor=cast.bruno)
    elif use.startswith("news"):
        values = news_values(image=image) if "image" in use else news_values(body=f"![car]({image.url})")
        news = news_create(organisation=sud_ouest, actor=cast.bruno, values=values)
        if "draft" not in use:
            revision_publish(revision=news.revisions.get(), actor=cast.bruno)
    else:
        from alphasierra.content.services.editing import page_create

        page_create(
            organisation=sud_ouest,
            actor=cast.bruno,
            values={
                "title": "Le CLAS",
                "slug": "le-clas",
                "body": f"![car]({image.url})",
                "in_menu": False,
                "menu_order": 0,
            },
        )

    with pytest.raises(ValidationError) as refused, django_capture_on_commit_callbacks(execute=True):
        image_delete(image=image, actor=cast.bruno)

    assert "encore utilisée" in refused.value.messages[0]
    assert Image.objects.filter(pk=image.pk).exists()
    assert (media / image.file.name).exists()
    assert not AuditEvent.objects.filter(action="content.image_deleted").exists()


def test_the_refusal_names_where_the_image_is_used(media, cast):
    image = uploaded(cast)
    news_create(organisation=image.organisation, actor=cast.bruno, values=news_values(image=image))
    home_draft_save(
        organisation=image.organisation,
        actor=cast.bruno,
        values={"banner_title": "", "banner_text": "", "introduction": "", "tiles": [], "image": image},
    )

    with pytest.raises(ValidationError) as refused:
        image_delete(image=image, actor=cast.bruno)

    assert "la page d'accueil" in refused.value.messages[0]
    assert "l'actualité « Sortie ski »" in refused.value.messages[0]


def test_a_draft_saved_over_since_no_longer_holds_the_image(media, cast, django_capture_on_commit_callbacks):
    image = uploaded(cast)
    news = news_create(organisation=image.organisation, actor=cast.bruno, values=news_values(image=image))
    news_draft_save(news=news, actor=cast.bruno, values=news_values(image=None))

    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=image, actor=cast.bruno)

    assert not Image.objects.exists()
    assert NewsItem.objects.filter(pk=news.pk).exists()


def test_another_site_using_the_same_address_does_not_hold_the_image(media, cast, django_capture_on_commit_callbacks):
    image = uploaded(cast)
    Home.objects.create(organisation=Organisation.objects.get(slug="nord"), introduction_html=image.url)

    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=image, actor=cast.bruno)

    assert not Image.objects.exists()


# --- The images page -----------------------------------------------------------------------


def test_bruno_sees_his_site_s_images_with_their_markdown_and_the_upload_form(client, media, cast):
    image = uploaded(cast, alt="Le [car] du *CLAS*")
    other = image_upload(
        organisation=Organisation.objects.get(slug="nord"),
        actor=cast.bruno,
        upload=upload(picture()),
        alt="Le car de Nord",
    )
    client.force_login(cast.bruno)

    response = client.get(IMAGES)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'src="{image.url}"' in html
    assert f"![Le \\[car\\] du \\*CLAS\\*]({image.url})" in html
    assert other.url not in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label class="fr-label" for="id_file">' in html
    assert '<label class="fr-label" for="id_alt">' in html
    assert "Texte alternatif" in html
    assert f"/sud-ouest/gestion/contenu/images/{image.pk}/supprimer/" in html


def test_bruno_uploads_an_image(client, media, cast):
    client.force_login(cast.bruno)

    response = client.post(IMAGES, {"file": upload(picture(), "IMG_2024.jpg"), "alt": "Le car du CLAS"})

    assert response.status_code == 302
    assert response["Location"] == IMAGES
    image = Image.objects.get()
    assert (image.organisation.slug, image.alt, image.uploaded_by) == ("sud-ouest", "Le car du CLAS", cast.bruno)
    assert files_in(media) == [media / image.file.name]
    assert "L'image est enregistrée" in client.get(IMAGES).content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize(
    ("data", "alt", "message"),
    [
        (picture("GIF"), "Le car du CLAS", "Ce fichier n'est pas une image JPEG, PNG ou WebP."),
        (SVG_WITH_SCRIPT, "Le car du CLAS", "Ce fichier n'est pas une image JPEG, PNG ou WebP."),
        (png_claiming(10_000, 10_000), "Le car du CLAS", "L'image dépasse 6 000 pixels de côté."),
        (picture(), "", "le texte alternatif est lu à qui ne la voit pas, il est obligatoire"),
    ],
    ids=["gif", "svg", "too many pixels", "no alt"],
)
def test_a_refused_upload_comes_back_with_the_reason_next_to_the_field_and_the_alt_kept(
    client, media, cast, data, alt, message
):
    client.force_login(cast.bruno)

    response = client.post(IMAGES, {"file": upload(data, "car.png", "image/png"), "alt": alt})

    html = response.content.decode().replace("&#x27;", "'")
    next_to_the_fields = re.findall(r'<p class="fr-message fr-message--error">([^<]*)</p>', html)
    assert response.status_code == 200
    assert any(message in error for error in next_to_the_fields)
    assert 'id="erreurs"' in html
    if alt:
        assert f'value="{alt}"' in html
        assert "Choisissez de nouveau l'image" not in html
    else:
        assert "Choisissez de nouveau l'image" in html
    assert not Image.objects.exists()
    assert files_in(media) == []


def test_the_national_site_has_its_images_page_for_nadia(client, media, cast):
    client.force_login(cast.nadia)

    assert client.get("/gestion/contenu/images/").status_code == 200
    response = client.post("/gestion/contenu/images/", {"file": upload(picture()), "alt": "Carte des CLAS"})

    assert response.status_code == 302
    assert response["Location"] == "/gestion/contenu/images/"
    assert Image.objects.get().organisation.is_national


def test_david_has_his_association_s_images_page(client, media, cast):
    client.force_login(cast.david)

    assert client.get("/aramis/gestion/contenu/images/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("anonymous", IMAGES, 302),
        ("alice", IMAGES, 403),
        ("karim", IMAGES, 403),
        ("david", IMAGES, 404),
        ("chloe", IMAGES, 404),
        ("chloe", "/nord/gestion/contenu/images/", 403),
        ("nadia", IMAGES, 404),
        ("bruno", "/gestion/contenu/images/", 404),
        ("bruno", "/aramis/gestion/contenu/images/", 404),
        ("david", "/gestion/contenu/images/", 404),
    ],
)
def test_the_images_page_is_refused_to_everyone_else_and_a_refused_upload_changes_nothing(
    client, media, cast, persona, url, status
):
    existing = uploaded(cast, site="sud-ouest")
    before = (Image.objects.count(), files_in(media), content_events())
    if persona != "anonymous":
        client.force_login(getattr(cast, persona))

    page = client.get(url)
    sent = client.post(url, {"file": upload(picture()), "alt": "Intrus"})

    assert (page.status_code, sent.status_code) == (status, status)
    if status == 302:
        assert sent["Location"].startswith("/comptes/login/")
    assert (Image.objects.count(), files_in(media), content_events()) == before
    assert not Image.objects.filter(alt="Intrus").exists()
    assert existing.alt not in page.content.decode()


def test_bruno_deletes_an_image_after_confirming(client, media, cast, django_capture_on_commit_callbacks):
    image = uploaded(cast)
    client.force_login(cast.bruno)
    url = f"{IMAGES}{image.pk}/supprimer/"

    confirm = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert confirm.status_code == 200
    assert "Supprimer l'image" in confirm.content.decode().replace("&#x27;", "'")
    assert Image.objects.filter(pk=image.pk).exists() is False
    assert (response.status_code, response["Location"]) == (302, IMAGES)
    assert files_in(media) == []


def test_an_image_in_use_is_kept_and_the_page_says_where(client, media, cast):
    image = uploaded(cast)
    news_create(organisation=image.organisation, actor=cast.bruno, values=news_values(image=image))
    client.force_login(cast.bruno)
    url = f"{IMAGES}{image.pk}/supprimer/"

    confirm = client.get(url).content.decode().replace("&#x27;", "'")
    response = client.post(url)

    assert "Cette image est encore utilisée" in confirm
    assert "l'actualité « Sortie ski »" in confirm
    assert 'type="submit"' not in confirm.split('id="contenu"')[1].split("fr-footer")[0]
    assert response.status_code == 200
    assert "L'image n'est pas supprimée" in response.content.decode().replace("&#x27;", "'")
    assert Image.objects.filter(pk=image.pk).exists()
    assert (media / image.file.name).exists()


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("anonymous", "/sud-ouest/", 302),
        ("alice", "/sud-ouest/", 403),
        ("chloe", "/nord/", 403),
        ("chloe", "/sud-ouest/", 404),
        ("david", "/sud-ouest/", 404),
        ("nadia", "/", 404),
        # Bruno, with the image of Sud-Ouest on the address of another site.
        ("bruno", "/nord/", 404),
    ],
)
def test_deleting_is_refused_to_everyone_else_and_changes_nothing(
    client, media, cast, django_capture_on_commit_callbacks, persona, url, status
):
    image = uploaded(cast)
    before = (Image.objects.count(), files_in(media), content_events())
    if persona != "anonymous":
        client.force_login(getattr(cast, persona))
    address = f"{url}gestion/contenu/images/{image.pk}/supprimer/"

    page = client.get(address)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(address)

    assert (page.status_code, sent.status_code) == (status, status)
    assert (Image.objects.count(), files_in(media), content_events()) == before


def test_bruno_cannot_reach_an_image_of_another_site_through_his_own(client, media, cast):
    nord = image_upload(
        organisation=Organisation.objects.get(slug="nord"), actor=cast.bruno, upload=upload(picture()), alt="Nord"
    )
    client.force_login(cast.bruno)

    assert client.get(f"{IMAGES}{nord.pk}/supprimer/").status_code == 404
    assert client.post(f"{IMAGES}{nord.pk}/supprimer/").status_code == 404
    assert Image.objects.filter(pk=nord.pk).exists()


def test_the_images_page_and_its_refusals_read_in_english(client, media, cast):
    uploaded(cast)
    client.force_login(cast.bruno)
    client.cookies["django_language"] = "en"

    page = client.get(IMAGES).content.decode()
    not_an_image = client.post(IMAGES, {"file": upload(picture("GIF")), "alt": "Car"}).content.decode()
    no_description = client.post(IMAGES, {"file": upload(picture()), "alt": ""}).content.decode()

    assert "Site images" in page
    assert "1 image uploaded" in page
    assert "Markdown code to paste into a text" in page
    assert "This file is not a JPEG, PNG or WebP image." in not_an_image
    assert "the alternative text is read to those who cannot see it" in no_description


def test_deleting_an_image_deleted_a_moment_ago_does_nothing_more(media, cast, django_capture_on_commit_callbacks):
    image = uploaded(cast)
    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=image, actor=cast.bruno)
        image_delete(image=image, actor=cast.bruno)

    assert AuditEvent.objects.filter(action="content.image_deleted").count() == 1
