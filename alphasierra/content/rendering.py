"""Markdown of a site's content to HTML, once, when it is saved: images only
from the site's own uploads (see ``alphasierra.markdown``)."""

from alphasierra.content.models import Image
from alphasierra.markdown import markdown_html
from alphasierra.organisations.models import Organisation

# The page's title is its h1: what managers write starts at h2.
HEADING_FLOOR = 2


def content_html(organisation: Organisation, text: str) -> str:
    images = dict(Image.objects.filter(organisation=organisation).values_list("file", "alt"))
    allowed = {Image(file=name).file.url: alt for name, alt in images.items()}
    return str(markdown_html(text, heading_floor=HEADING_FLOOR, images=allowed, raw_html=True))


def image_markdown(image: Image) -> str:
    """What a manager pastes into a text to show ``image`` there: its
    alternative text escaped where Markdown would read it as syntax."""
    alt = " ".join(image.alt.split())
    for special in ("\\", "[", "]", "*", "_", "`", "<"):
        alt = alt.replace(special, f"\\{special}")
    return f"![{alt}]({image.url})"
