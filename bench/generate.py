"""Synthetic register data for the benchmarks: agents with their families.

    SECRET_KEY=bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_alphasierra \\
        uv run --frozen python -m bench.generate --agents 100000 --seed 1

Rows are written with PostgreSQL's COPY (``bulk_create`` on another
database): accounts, e-mail addresses, agents, relatives. Not through the
services: they validate, audit and send mail one agent at a time, which would
take far too long for 100,000 agents and is not what the benchmark measures. What the register reads is filled exactly
as the services fill it, ``search_text`` included (same function).

The data is synthetic but shaped like the real population: 13 CLAS of very
different sizes (Région parisienne about a quarter of the agents), common
French surnames far more frequent than rare ones, accents, apostrophes and
compound names, mostly approved agents, DGAC and Météo-France, active and
retired.
"""

import argparse
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from random import Random
from typing import Any, TextIO

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alphasierra.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402 - needs django.setup()
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.utils import timezone  # noqa: E402

from alphasierra.accounts.models import User  # noqa: E402
from alphasierra.agents.models import Agent, Relative  # noqa: E402
from alphasierra.agents.search import normalise, search_text_for  # noqa: E402
from alphasierra.organisations.models import Organisation  # noqa: E402

# More agents than this means a database someone uses: refuse unless --append.
HANDFUL = 5
BATCH_SIZE = 5_000

# Share of the agents of each CLAS. Région parisienne (Roissy, Orly, the DGAC
# head office) is the largest; Toulouse (Météo-France, DSNA, ENAC) comes next.
CLAS_SHARES: dict[str, float] = {
    "region-parisienne": 0.25,
    "sud-ouest": 0.16,
    "sud-est": 0.10,
    "centre-est": 0.08,
    "sud": 0.08,
    "ouest": 0.07,
    "nord-est": 0.06,
    "nord": 0.05,
    "enac": 0.04,
    "antilles-guyane": 0.04,
    "ocean-indien": 0.03,
    "nouvelle-caledonie": 0.02,
    "polynesie-francaise": 0.02,
}

# (postal code, commune) where the agents of each CLAS live and work.
CLAS_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "region-parisienne": (
        ("75015", "Paris"),
        ("94390", "Orly"),
        ("95700", "Roissy-en-France"),
        ("91200", "Athis-Mons"),
        ("92100", "Boulogne-Billancourt"),
        ("77550", "Moissy-Cramayel"),
        ("78000", "Versailles"),
        ("93290", "Tremblay-en-France"),
    ),
    "sud-ouest": (("31000", "Toulouse"), ("31700", "Blagnac"), ("33700", "Mérignac"), ("64000", "Pau")),
    "sud-est": (("13700", "Marignane"), ("06200", "Nice"), ("13100", "Aix-en-Provence"), ("20090", "Ajaccio")),
    "centre-est": (("69125", "Colombier-Saugnieu"), ("69003", "Lyon"), ("38000", "Grenoble"), ("21000", "Dijon")),
    "sud": (("34000", "Montpellier"), ("30000", "Nîmes"), ("66000", "Perpignan"), ("11000", "Carcassonne")),
    "ouest": (("35000", "Rennes"), ("44340", "Bouguenais"), ("29200", "Brest"), ("37000", "Tours")),
    "nord-est": (("67960", "Entzheim"), ("57000", "Metz"), ("54000", "Nancy"), ("68300", "Saint-Louis")),
    "nord": (("59810", "Lesquin"), ("59000", "Lille"), ("62100", "Calais"), ("76000", "Rouen")),
    "enac": (("31400", "Toulouse"), ("31520", "Ramonville-Saint-Agne"), ("31670", "Labège")),
    "antilles-guyane": (("97139", "Les Abymes"), ("97232", "Le Lamentin"), ("97300", "Cayenne")),
    "ocean-indien": (("97438", "Sainte-Marie"), ("97400", "Saint-Denis"), ("97615", "Pamandzi")),
    "nouvelle-caledonie": (("98800", "Nouméa"), ("98840", "Tontouta")),
    "polynesie-francaise": (("98713", "Papeete"), ("98702", "Faaa")),
}

# E.164 numbers by CLAS: one of the prefixes, then random digits up to a valid
# length (checked against phonenumbers' metadata). Fixed line, then mobile.
type PhonePlan = tuple[tuple[str, ...], int]
FRENCH_MOBILE: PhonePlan = (("+3360", "+3361", "+3362", "+3364", "+3365", "+3366", "+3367", "+3368", "+3375"), 7)
CLAS_PHONES: dict[str, tuple[PhonePlan, PhonePlan]] = {
    "region-parisienne": ((("+3314", "+3316"), 7), FRENCH_MOBILE),
    "nord": ((("+3332",), 7), FRENCH_MOBILE),
    "nord-est": ((("+3338",), 7), FRENCH_MOBILE),
    "ouest": ((("+3322",), 7), FRENCH_MOBILE),
    "centre-est": ((("+3347",), 7), FRENCH_MOBILE),
    "sud-est": ((("+3344",), 7), FRENCH_MOBILE),
    "sud": ((("+3346",), 7), FRENCH_MOBILE),
    "sud-ouest": ((("+3356",), 7), FRENCH_MOBILE),
    "enac": ((("+3356",), 7), FRENCH_MOBILE),
    "antilles-guyane": ((("+5965960",), 5), (("+5966960",), 5)),
    "ocean-indien": ((("+262262",), 6), (("+262692",), 6)),
    "nouvelle-caledonie": ((("+68728",), 4), (("+68777",), 4)),
    "polynesie-francaise": ((("+689405",), 5), (("+68987",), 6)),
}

# Most frequent first: the weights below make the head common and the tail rare.
# fmt: off
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
    "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
    "Masson", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Roche", "Noël",
    "Meyer", "Lucas", "Meunier", "Pérez", "Marchand", "Dufour", "Blanchard", "Barbier", "Brun", "Dumas",
    "Schmitt", "Leroux", "Colin", "Fernandez", "Renard", "Arnaud", "Caron", "Aubert", "Giraud", "Leclerc",
    "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Leclercq", "Lacroix", "Fabre", "Dupuis",
    "Rodriguez", "Da Silva", "Hubert", "Rivière", "Le Gall", "Moulin", "Berger", "Lecomte", "Ménard", "Fleury",
    "Deschamps", "Carpentier", "Benoît", "Maillard", "Aubry", "Vasseur", "Le Roux", "Prévost", "Poirier", "Carré",
    "Rémy", "Barré", "Hoarau", "Payet", "Grondin", "Técher", "Le Bihan", "Kerjean", "D'Almeida", "N'Diaye",
    "O'Connor", "L'Hermite", "Dell'Acqua", "D'Aubigné", "Lefèvre-Dubois", "Saint-Cyr", "Béranger", "Lê",
    "Tetuanui", "Wamytan", "Pétré", "Aït Ali", "Bélanger", "Châtelain", "Crépin", "Désiré", "Éluard", "Gaëtan",
)
# fmt: on
# Drawn a few times in 50,000: the register's search for « a rare name ».
RARE_SURNAMES = ("Quéméneur", "Zylberstein", "Iriarte-Etxeberria", "Vandenbussche", "Abgrall", "Teriierooiterai")

# fmt: off
FEMALE_FIRST_NAMES = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Hélène", "Valérie", "Christine",
    "Sophie", "Anne", "Céline", "Sandrine", "Véronique", "Stéphanie", "Émilie", "Aurélie", "Julie", "Camille",
    "Léa", "Chloé", "Manon", "Inès", "Zoé", "Anaïs", "Mélanie", "Cécile", "Agnès", "Geneviève", "Maëlle",
    "Noémie", "Clémence", "Anne-Marie", "Marie-Claire", "Marie-Hélène", "Béatrice", "Laëtitia", "Joëlle",
)
MALE_FIRST_NAMES = (
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick", "Stéphane", "Laurent",
    "Frédéric", "Éric", "Sébastien", "Julien", "Thomas", "Jérôme", "François", "Benoît", "Hervé", "Rémi",
    "Jérémy", "Loïc", "Gaël", "Joël", "Raphaël", "Mickaël", "Théo", "Hugo", "Lucas", "Clément", "Cédric",
    "Grégoire", "Jean-Pierre", "Jean-François", "Jean-Luc", "Pierre-Yves", "André", "Gérard", "René",
)
# fmt: on

DGAC_SERVICES = (
    "DSNA / SNA",
    "DSNA / CRNA",
    "DSAC interrégionale",
    "Secrétariat général",
    "Direction du transport aérien",
    "DSNA / DTI",
    "Tour de contrôle",
    "STAC",
    "BEA",
    "ENAC",
)
METEO_SERVICES = (
    "Direction interrégionale",
    "Centre météorologique d'aérodrome",
    "CNRM",
    "Direction des systèmes d'information",
    "Prévision marine",
    "ENM",
    "Climatologie",
)
STREETS = (
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "allée des Érables",
    "chemin de l'Aérodrome",
    "boulevard Gambetta",
    "place de l'Église",
    "rue du Général-de-Gaulle",
    "impasse des Mésanges",
)
PERSONAL_DOMAINS = ("orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr", "wanadoo.fr")


def _cumulative(weights: list[float]) -> list[float]:
    return list(accumulate(weights))


@dataclass
class Created:
    """What one run wrote, to print and to check."""

    users: int = 0
    agents: int = 0
    spouses: int = 0
    children: int = 0
    by_clas: Counter[str] = field(default_factory=Counter)
    by_state: Counter[str] = field(default_factory=Counter)


class _Population:
    """Draws one synthetic agent after another from a seeded generator, so that
    the same seed gives the same register."""

    def __init__(self, rng: Random, clas_by_slug: dict[str, Organisation], taken_emails: set[str]) -> None:
        self.rng = rng
        self.clas_by_slug = clas_by_slug
        self.slugs = list(CLAS_SHARES)
        self.slug_weights = _cumulative([CLAS_SHARES[slug] for slug in self.slugs])
        # Zipf-like: the 10th surname is about twice as frequent as the 100th.
        self.surnames = [*SURNAMES, *RARE_SURNAMES]
        self.surname_weights = _cumulative(
            [1 / (rank + 10) for rank in range(len(SURNAMES))] + [0.0001] * len(RARE_SURNAMES)
        )
        self.taken_emails = taken_emails
        self.now = timezone.now()
        self.today = self.now.date()

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.surname_weights)[0]

    def first_name(self, female: bool) -> str:
        return self.rng.choice(FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)

    def birth_date(self, min_age: int, max_age: int) -> date:
        days = self.rng.randint(min_age * 365, max_age * 365 + 364)
        return self.today - timedelta(days=days)

    def phone(self, plan: PhonePlan) -> str:
        prefixes, digits = plan
        return self.rng.choice(prefixes) + "".join(self.rng.choices("0123456789", k=digits))

    def email(self, first_name: str, last_name: str, domain: str) -> str:
        # Addresses are unique whatever the letter case: the second Hélène
        # Martin of a domain gets helene.martin2, as a mail service would do.
        local = f"{normalise(first_name).replace(' ', '-')}.{normalise(last_name).replace(' ', '')}"
        candidate = f"{local}@{domain}"
        number = 1
        while candidate in self.taken_emails:
            number += 1
            candidate = f"{local}{number}@{domain}"
        self.taken_emails.add(candidate)
        return candidate

    def moment_since(self, start: datetime) -> datetime:
        span = (self.now - start).total_seconds()
        return start + timedelta(seconds=self.rng.uniform(0, span))

    def family(self, agent: Agent, min_age: int, max_age: int) -> tuple[str, list[Relative]]:
        """The family situation and the relatives: a spouse for about half of
        the agents, 0 to 3 children."""
        rng = self.rng
        relatives: list[Relative] = []
        if rng.random() < 0.5:
            situation = rng.choices(["married", "pacs", "cohabiting"], weights=[60, 25, 15])[0]
            spouse_female = agent.civility == Agent.Civility.MONSIEUR
            relatives.append(
                Relative(
                    agent=agent,
                    kind=Relative.Kind.SPOUSE,
                    # Many spouses share the agent's name, not all.
                    last_name=agent.last_name if rng.random() < 0.6 else self.surname(),
                    first_name=self.first_name(spouse_female),
                    birth_date=self.birth_date(max(min_age - 3, 20), max_age + 3),
                )
            )
        else:
            situation = rng.choices(["single", "divorced", "separated", "widowed", ""], weights=[55, 20, 10, 8, 7])[0]
        children = rng.choices([0, 1, 2, 3], weights=[35, 25, 28, 12])[0]
        agent_age = (self.today - agent.birth_date).days // 365 if agent.birth_date else 40
        for _ in range(children):
            relatives.append(
                Relative(
                    agent=agent,
                    kind=Relative.Kind.CHILD,
                    last_name=agent.last_name,
                    first_name=self.first_name(rng.random() < 0.5),
                    birth_date=self.birth_date(0, max(0, min(agent_age - 20, 30))),
                )
            )
        agent.children_count = children
        return situation, relatives

    def draw(self) -> tuple[User, EmailAddress, Agent, list[Relative]]:
        rng = self.rng
        slug = rng.choices(self.slugs, cum_weights=self.slug_weights)[0]
        female = rng.random() < 0.45
        last_name = self.surname()
        if rng.random() < 0.03:  # a few double-barrelled names
            last_name = f"{last_name}-{self.surname()}"
        first_name = self.first_name(female)
        # ENAC staff are DGAC; elsewhere about a third work for Météo-France.
        employer = Agent.Employer.DGAC if slug == "enac" or rng.random() < 0.68 else Agent.Employer.METEO_FRANCE
        retired = rng.random() < 0.3
        min_age, max_age = (60, 92) if retired else (22, 64)
        postal_code, city = rng.choice(CLAS_PLACES[slug])
        service_postal_code, service_city = rng.choice(CLAS_PLACES[slug])
        service = rng.choice(DGAC_SERVICES if employer == Agent.Employer.DGAC else METEO_SERVICES)
        fixed, mobile = CLAS_PHONES[slug]
        if retired or rng.random() < 0.1:
            domain = rng.choice(PERSONAL_DOMAINS)
        else:
            domain = "aviation-civile.gouv.fr" if employer == Agent.Employer.DGAC else "meteo.fr"

        created_at = self.moment_since(self.now - timedelta(days=6 * 365))
        state = rng.choices(
            [Agent.State.APPROVED, Agent.State.AWAITING_APPROVAL, Agent.State.EMAIL_PENDING, Agent.State.REJECTED],
            weights=[92, 4, 2, 2],
        )[0]
        confirmed_at = (
            None if state == Agent.State.EMAIL_PENDING else created_at + timedelta(minutes=rng.randint(1, 600))
        )
        decided_at = (
            confirmed_at + timedelta(hours=rng.randint(1, 96))
            if confirmed_at and state in (Agent.State.APPROVED, Agent.State.REJECTED)
            else None
        )

        email = self.email(first_name, last_name, domain)
        # An unusable password, as set_unusable_password() writes it, drawn from
        # the seeded generator: hashing 50,000 random strings would be slow.
        password = UNUSABLE_PASSWORD_PREFIX + f"{rng.getrandbits(160):040x}"[:UNUSABLE_PASSWORD_SUFFIX_LENGTH]
        user = User(email=email, password=password, date_joined=created_at)
        address = EmailAddress(user=user, email=email, primary=True, verified=confirmed_at is not None)
        agent = Agent(
            user=user,
            clas=self.clas_by_slug[slug],
            state=state,
            civility=Agent.Civility.MADAME if female else Agent.Civility.MONSIEUR,
            last_name=last_name,
            first_name=first_name,
            employer=employer,
            status=Agent.Status.RETIRED if retired else Agent.Status.ACTIVE,
            service=f"{service} — {service_city}",
            service_address=f"{rng.randint(1, 40)} {rng.choice(STREETS)}\n{service_postal_code} {service_city}",
            work_phone="" if retired else self.phone(fixed),
            personal_phone=self.phone(mobile),
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            postal_code=postal_code,
            city=city,
            birth_date=self.birth_date(min_age, max_age),
            created_at=created_at,
            email_confirmed_at=confirmed_at,
            decided_at=decided_at,
            rejection_reason="Agent inconnu du service indiqué." if state == Agent.State.REJECTED else "",
        )
        agent.family_situation, relatives = self.family(agent, min_age, max_age)
        agent.search_text = search_text_for(agent)
        return user, address, agent, relatives


def _copy_rows(model: type[Model], objects: list[Any]) -> None:
    """Write rows with PostgreSQL's COPY, primary keys included: several times
    faster than INSERT … RETURNING for hundreds of thousands of rows."""
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            copy.write_row([getattr(obj, field.attname) for field in fields])


def _next_ids(models_: tuple[type[Model], ...]) -> dict[type[Model], int]:
    ids = {}
    with connection.cursor() as cursor:
        for model in models_:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - a model's table
            ids[model] = cursor.fetchone()[0]
    return ids


def _move_sequences(models_: tuple[type[Model], ...]) -> None:
    """After COPY with explicit keys: the identity sequences continue after them."""
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            highest = f"SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}"  # noqa: S608 - a model's table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({highest}))", [table])


def _write_copy(drawn: list[tuple[User, EmailAddress, Agent, list[Relative]]], ids: dict[type[Model], int]) -> None:
    """One batch by COPY, the keys given here (PostgreSQL)."""
    family: list[Relative] = []
    for user, address, agent, relatives in drawn:
        user.pk = ids[User]
        address.pk = ids[EmailAddress]
        agent.pk = ids[Agent]
        ids[User] += 1
        ids[EmailAddress] += 1
        ids[Agent] += 1
        address.user_id = agent.user_id = user.pk
        for relative in relatives:
            relative.pk = ids[Relative]
            ids[Relative] += 1
            relative.agent_id = agent.pk
            family.append(relative)
    _copy_rows(User, [user for user, _, _, _ in drawn])
    _copy_rows(EmailAddress, [address for _, address, _, _ in drawn])
    _copy_rows(Agent, [agent for _, _, agent, _ in drawn])
    _copy_rows(Relative, family)


def _write_bulk(drawn: list[tuple[User, EmailAddress, Agent, list[Relative]]]) -> None:
    """One batch by bulk_create (any database)."""
    # The primary keys come back from the database (RETURNING), so the
    # agents and relatives built above point at saved rows.
    User.objects.bulk_create([user for user, _, _, _ in drawn])
    for user, address, agent, _ in drawn:
        address.user = user
        agent.user = user
    EmailAddress.objects.bulk_create([address for _, address, _, _ in drawn])
    Agent.objects.bulk_create([agent for _, _, agent, _ in drawn])
    family = []
    for _, _, agent, relatives in drawn:
        for relative in relatives:
            relative.agent = agent
            family.append(relative)
    Relative.objects.bulk_create(family)


WRITTEN = (User, EmailAddress, Agent, Relative)


def generate(
    agents: int, *, seed: int = 1, append: bool = False, batch_size: int = BATCH_SIZE, out: TextIO = sys.stdout
) -> Created:
    """Create ``agents`` synthetic agents with their families, in one transaction."""
    existing = Agent.objects.count()
    if existing > HANDFUL and not append:
        raise SystemExit(
            f"This database already holds {existing} agents: refusing to add synthetic ones. "
            "Use a dedicated database, or pass --append if that is really what you want."
        )
    clas_by_slug = {org.slug: org for org in Organisation.objects.filter(kind=Organisation.Kind.CLAS)}
    missing = set(CLAS_SHARES) - set(clas_by_slug)
    if missing:
        raise SystemExit(f"CLAS missing (run the migrations first): {', '.join(sorted(missing))}")

    # Only needed when adding to existing accounts; a fresh database has none.
    taken = {email.lower() for email in User.objects.values_list("email", flat=True)}
    population = _Population(Random(seed), clas_by_slug, taken)
    created = Created()
    copying = connection.vendor == "postgresql"
    with transaction.atomic():
        if copying:
            # Nobody else writes these tables of a benchmark database meanwhile:
            # the keys can be taken from MAX(id) and the sequences moved after.
            ids = _next_ids(WRITTEN)
        for start in range(0, agents, batch_size):
            drawn = [population.draw() for _ in range(min(batch_size, agents - start))]
            if copying:
                _write_copy(drawn, ids)
            else:
                _write_bulk(drawn)
            relatives = [relative for _, _, _, family in drawn for relative in family]
            created.users += len(drawn)
            created.agents += len(drawn)
            created.spouses += sum(relative.kind == Relative.Kind.SPOUSE for relative in relatives)
            created.children += sum(relative.kind == Relative.Kind.CHILD for relative in relatives)
            created.by_clas.update(agent.clas.slug for _, _, agent, _ in drawn)
            created.by_state.update(str(agent.state) for _, _, agent, _ in drawn)
            if created.agents % 20_000 < batch_size or created.agents == agents:
                print(f"  {created.agents:>7} / {agents} agents", file=out, flush=True)
        if copying:
            _move_sequences(WRITTEN)
    if connection.vendor == "postgresql":
        # A real register has long been vacuumed and analysed by autovacuum:
        # fresh statistics for the planner, and a visibility map so that index
        # scans are not followed by heap fetches for every row. (Outside the
        # transaction: VACUUM cannot run inside one.)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) accounts_user, account_emailaddress, agents_agent, agents_relative")
    return created


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fill the database with synthetic agents and their families.")
    parser.add_argument("--agents", type=int, default=50_000, help="number of agents to create (default 50000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random generator (default 1)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="rows per bulk insert")
    parser.add_argument(
        "--append", action="store_true", help="add to a database that already holds agents (never a real one)"
    )
    args = parser.parse_args(argv)
    if args.agents < 1 or args.batch_size < 1:
        parser.error("--agents and --batch-size must be positive")

    database = connection.settings_dict
    print(f"Database: {connection.vendor} {database.get('NAME')} on {database.get('HOST') or 'local'}")
    started = time.perf_counter()
    created = generate(args.agents, seed=args.seed, append=args.append, batch_size=args.batch_size)
    elapsed = time.perf_counter() - started
    print(
        f"Created {created.users} accounts, {created.agents} agents, {created.spouses} spouses, "
        f"{created.children} children in {elapsed:.1f} s (seed {args.seed})."
    )
    print("Agents by CLAS:")
    for slug, count in created.by_clas.most_common():
        print(f"  {slug:<22} {count:>7}  {count / created.agents:6.1%}")
    print("Agents by state: " + ", ".join(f"{state} {count}" for state, count in created.by_state.most_common()))


if __name__ == "__main__":
    main()
