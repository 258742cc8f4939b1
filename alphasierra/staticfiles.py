"""Storage of the collected static files in production."""

from collections.abc import Callable
from re import Match
from typing import Any

from dsfr.constants import DsfrStaticAssets
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's hashed and compressed files, except that the DSFR files are
    kept byte for byte as django-dsfr ships them.

    django-dsfr writes ``integrity="sha384-…"`` (subresource integrity) with the
    hashes of its files as shipped. The manifest storage rewrites the ``url()``
    references inside CSS to hashed names, which changes the bytes: the browser
    then refuses the style sheets and every page loses its styling. Those files
    keep their original references (to fonts and icons that are collected under
    their original names too), so the hashes stay true and SRI stays meaningful.
    """

    kept_as_shipped = frozenset(
        {
            DsfrStaticAssets.DSFR_CSS,
            DsfrStaticAssets.DSFR_UTILITY_CSS,
            DsfrStaticAssets.DSFR_MODULE_JS,
            DsfrStaticAssets.DSFR_NOMODULE_JS,
        }
    )

    def url_converter(
        self, name: str, hashed_files: dict[str, str], template: str | None = None, ignored_blocks: Any = None
    ) -> Callable[[Match[str]], str]:
        if name in self.kept_as_shipped:
            return lambda match: match["matched"]
        return super().url_converter(name, hashed_files, template, ignored_blocks)
