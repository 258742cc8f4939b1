"""The 17 sites of the communiqué, as seeded by the data migration.

Kept as plain data (not models) so that the migration and the tests read the
same list and a change to it is one reviewed diff.
"""

from typing import Any, NamedTuple


class SiteSeed(NamedTuple):
    kind: str
    slug: str
    name: str
    short_name: str
    time_zone: str = "Europe/Paris"
    currency: str = "EUR"


SITES: tuple[SiteSeed, ...] = (
    SiteSeed("national", "national", "Alpha Sierra", "Site national"),
    SiteSeed("clas", "centre-est", "CLAS Centre-Est", "Centre-Est"),
    SiteSeed("clas", "enac", "CLAS ENAC", "ENAC"),
    SiteSeed("clas", "nord", "CLAS Nord", "Nord"),
    SiteSeed("clas", "nord-est", "CLAS Nord-Est", "Nord-Est"),
    SiteSeed("clas", "ouest", "CLAS Ouest", "Ouest"),
    SiteSeed("clas", "region-parisienne", "CLAS Région parisienne", "Région parisienne"),
    SiteSeed("clas", "sud", "CLAS Sud", "Sud"),
    SiteSeed("clas", "sud-est", "CLAS Sud-Est", "Sud-Est"),
    SiteSeed("clas", "sud-ouest", "CLAS Sud-Ouest", "Sud-Ouest"),
    SiteSeed("clas", "antilles-guyane", "CLAS Antilles-Guyane", "Antilles-Guyane", "America/Martinique"),
    SiteSeed("clas", "nouvelle-caledonie", "CLAS Nouvelle-Calédonie", "Nouvelle-Calédonie", "Pacific/Noumea", "XPF"),
    SiteSeed("clas", "ocean-indien", "CLAS Océan Indien", "Océan Indien", "Indian/Reunion"),
    SiteSeed("clas", "polynesie-francaise", "CLAS Polynésie française", "Polynésie française", "Pacific/Tahiti", "XPF"),
    SiteSeed("association", "aramis", "ARAMIS", "ARAMIS"),
    SiteSeed("association", "unasacem", "UNASACEM", "UNASACEM"),
    SiteSeed("association", "anafacem", "ANAFACEM", "ANAFACEM"),
)


def sites_seed(organisation_model: Any) -> None:
    """Create or refresh the 17 sites. Takes the model as an argument so that the
    data migration can pass its historical model."""
    for position, site in enumerate(SITES):
        organisation_model.objects.update_or_create(
            slug=site.slug,
            defaults={
                "kind": site.kind,
                "name": site.name,
                "short_name": site.short_name,
                "time_zone": site.time_zone,
                "currency": site.currency,
                "position": position,
            },
        )
