"""Uploaded images: the managers' page (the site's images, the upload form,
deleting one), and serving an image to whoever opens a page showing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alphasierra.content.access import access_image_served, access_image_to_use, access_images_to_use
from alphasierra.content.image_forms import ImageUploadForm
from alphasierra.content.models import Image, page_url
from alphasierra.content.rendering import image_markdown
from alphasierra.content.services.images import image_delete, image_upload, image_uses
from alphasierra.http import AuthenticatedRequest
from alphasierra.once.decorators import form_once
from alphasierra.organisations.decorators import backoffice
from alphasierra.organisations.models import Organisation

# Images per page of the list (each shows its thumbnail).
PAGE_SIZE = 20
# An image's address names its content (a new upload gets a new name): any
# cache may keep it for good. Nothing in it is personal: pages show it to all.
CACHE_CONTROL = "public, max-age=31536000, immutable"


def _links(organisation: Organisation) -> dict[str, str]:
    return {
        "images_url": page_url(organisation, "content:images"),
        "editor_url": page_url(organisation, "content:editor"),
    }


@backoffice
@form_once
def image_list(request: AuthenticatedRequest) -> HttpResponse:
    organisation = request.organisation
    images = access_images_to_use(user=request.user, organisation=organisation)
    form = ImageUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            image_upload(
                organisation=organisation,
                actor=request.user,
                upload=form.cleaned_data["file"],
                alt=form.cleaned_data["alt"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("L'image est enregistrée. Pour la montrer dans un texte, copiez-y son code Markdown.")
            )
            return redirect(page_url(organisation, "content:images"))
    page = Paginator(images.select_related("uploaded_by"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "image": image,
            "markdown": image_markdown(image),
            "delete_url": page_url(organisation, "content:image-delete", pk=image.pk),
        }
        for image in page.object_list
    ]
    context = {"form": form, "page": page, "rows": rows, "query": "", **_links(organisation)}
    return render(request, "content/images/list.html", context)


@backoffice
@form_once
def image_delete_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Asks before deleting; says where the image is still used, if anywhere."""
    organisation = request.organisation
    image = access_image_to_use(user=request.user, organisation=organisation, pk=pk)
    refusal = ""
    if request.method == "POST":
        try:
            image_delete(image=image, actor=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("L'image « %(alt)s » est supprimée.") % {"alt": image.alt})
            return redirect(page_url(organisation, "content:images"))
    context = {
        "image": image,
        "uses": image_uses(image),
        "refusal": refusal,
        "delete_url": page_url(organisation, "content:image-delete", pk=image.pk),
        **_links(organisation),
    }
    return render(request, "content/images/delete.html", context)


def media(request: HttpRequest, name: str) -> FileResponse:
    """An uploaded image, as it was stored: its type from the database, never
    guessed from its bytes by the browser (``nosniff``), and under a policy
    that lets nothing in it run even when opened on its own."""
    image: Image = access_image_served(name=name)
    try:
        stored = default_storage.open(str(image.file.name), "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stored, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = CACHE_CONTROL
    return response
