"""Collected static files as production serves them (the tests otherwise use
the plain storage, see conftest.py)."""

import base64
import hashlib
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from dsfr import checksums
from dsfr.constants import DsfrStaticAssets


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Collected once for the module: it takes a few seconds."""
    root = tmp_path_factory.mktemp("static")
    production_storage = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "alphasierra.staticfiles.PortalStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=production_storage):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root, json.loads((root / "staticfiles.json").read_text())["paths"]


@pytest.mark.parametrize(
    ("asset", "integrity"),
    [
        (DsfrStaticAssets.DSFR_CSS, checksums.INTEGRITY_CSS),
        (DsfrStaticAssets.DSFR_UTILITY_CSS, checksums.INTEGRITY_UTILITY_CSS),
        (DsfrStaticAssets.DSFR_MODULE_JS, checksums.INTEGRITY_JS_MODULE),
        (DsfrStaticAssets.DSFR_NOMODULE_JS, checksums.INTEGRITY_JS_NOMODULE),
    ],
)
def test_dsfr_files_are_served_as_their_integrity_hashes_say(collected, asset, integrity):
    """django-dsfr writes integrity="sha384-…" for these: a byte changed and the
    browser refuses the file (a page without any styling)."""
    root, manifest = collected
    served = (root / manifest[asset]).read_bytes()

    assert f"sha384-{base64.b64encode(hashlib.sha384(served).digest()).decode()}" == integrity


def test_what_the_dsfr_style_sheet_refers_to_is_collected_under_its_own_name(collected):
    # Its references (fonts, icons) are left as shipped: they must be found as written.
    root, manifest = collected
    css = root / manifest[DsfrStaticAssets.DSFR_CSS]
    references = {
        found.split("?")[0].split("#")[0]
        for found in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text())
        if not found.startswith(("data:", "#", "http"))
    }

    assert any(reference.endswith(".woff2") for reference in references)
    missing = [reference for reference in references if not (css.parent / reference).resolve().is_file()]
    assert missing == []
