"""Synthetic corpus of trade press releases in the raw dump format, for benchmarks.

    python benchmarks/generate_corpus.py --articles 10000 --seed 7 --out /tmp/raw [--dumps 4] [--gzip]

Each record is a title line and a body line ending in ``date`` + ISO date,
records separated by a line holding ``-`` (see README "Dumps").  Articles are
built from templates (forums, ministerial and bilateral meetings, ceremonies,
investment pledges, MOUs) with invented people (both name orders, real-style
titles), organizations with acronyms, amounts in several currencies and
scales, and the date phrasings real releases use.  About 2% of bodies are cut
mid-word (truncated) and about 1% of records are malformed (no date token,
impossible date, empty title).

Deterministic for a given seed (one ``random.Random(seed)``), and streamed: one
article is held in memory at a time.
"""
from __future__ import annotations

import argparse
import calendar
import gzip
import hashlib
import random
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

TRUNCATED_SHARE = 0.02
MALFORMED_SHARE = 0.01

# --------------------------------------------------------------------------- vocabulary

# (country name, adjective, ISO-ish code, capital/cities, given names, family names, family-name-first?)
COUNTRIES = [
    ("Korea", "Korean", "KOR", ["Seoul", "Busan", "Incheon", "Daejeon"],
     ["Minho", "Jiyeon", "Sungwoo", "Hyejin", "Dongwook", "Seojin", "Taeyang", "Eunji", "Kyunghee", "Jaesung"],
     ["Kim", "Park", "Lee", "Choi", "Jung", "Kang", "Yoon", "Jang", "Lim", "Han"], True),
    ("Japan", "Japanese", "JPN", ["Tokyo", "Osaka", "Nagoya", "Fukuoka"],
     ["Haruto", "Yui", "Sota", "Akiko", "Kenji", "Naoko", "Takeshi", "Emiko", "Daisuke", "Misaki"],
     ["Tanaka", "Suzuki", "Takahashi", "Watanabe", "Ito", "Nakamura", "Kobayashi", "Yamamoto", "Sato", "Kato"], True),
    ("the United States", "U.S.", "USA", ["Washington D.C.", "New York", "San Francisco", "Austin"],
     ["Jennifer", "Michael", "Laura", "David", "Karen", "Robert", "Emily", "Thomas", "Rachel", "Brian"],
     ["Whitfield", "Harrington", "Calloway", "Brennan", "Okafor", "Delgado", "Ashford", "Mercer", "Lindqvist",
      "Porter"], False),
    ("Germany", "German", "DEU", ["Berlin", "Munich", "Frankfurt", "Hamburg"],
     ["Katrin", "Matthias", "Anja", "Jörg", "Sabine", "Lukas", "Ulrike", "Florian"],
     ["Brandt", "Hoffmeister", "Kessler", "Vogt", "Reinhardt", "Schäfer", "Lindemann", "Becker"], False),
    ("France", "French", "FRA", ["Paris", "Lyon", "Toulouse"],
     ["Amélie", "Julien", "Claire", "Étienne", "Margaux", "Olivier"],
     ["Durand", "Lefèvre", "Marchand", "Rousseau", "Garnier", "Fontaine"], False),
    ("Vietnam", "Vietnamese", "VNM", ["Hanoi", "Ho Chi Minh City", "Da Nang"],
     ["Van Hung", "Thi Lan", "Minh Tuan", "Thu Trang", "Quoc Bao", "Ngoc Anh"],
     ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu"], True),
    ("India", "Indian", "IND", ["New Delhi", "Mumbai", "Bengaluru", "Chennai"],
     ["Arjun", "Priya", "Rahul", "Ananya", "Vikram", "Sunita", "Rohan", "Meera"],
     ["Sharma", "Iyer", "Reddy", "Mehta", "Banerjee", "Kulkarni", "Nair", "Chopra"], False),
    ("the United Kingdom", "British", "GBR", ["London", "Manchester"],
     ["Oliver", "Charlotte", "Harriet", "James", "Eleanor"], ["Pemberton", "Thornbury", "Ashworth", "Fairley",
                                                               "Goodall"], False),
    ("Poland", "Polish", "POL", ["Warsaw", "Krakow"], ["Katarzyna", "Piotr", "Agnieszka", "Tomasz"],
     ["Nowakowski", "Wiśniewska", "Zielinski", "Kaczmarek"], False),
    ("Indonesia", "Indonesian", "IDN", ["Jakarta", "Surabaya"], ["Budi", "Siti", "Agus", "Dewi"],
     ["Santoso", "Wijaya", "Hartono", "Kusuma"], False),
    ("Saudi Arabia", "Saudi", "SAU", ["Riyadh", "Jeddah"], ["Faisal", "Noura", "Khalid", "Reem"],
     ["Al-Harbi", "Al-Qahtani", "Al-Otaibi", "Al-Shehri"], False),
    ("Chile", "Chilean", "CHL", ["Santiago"], ["Camila", "Matías", "Valentina", "Sebastián"],
     ["Fuentes", "Araya", "Contreras", "Sepúlveda"], False),
]

GOV_TITLES = [
    ("Minister of Trade, Industry and Energy", "Ministry of Trade, Industry and Energy", "MOTIE"),
    ("Trade Minister", "Ministry of Trade", "MOT"),
    ("Minister for Trade Negotiations", "Office of Trade Negotiations", "OTN"),
    ("Secretary of Commerce", "Department of Commerce", "DOC"),
    ("Deputy Secretary of Commerce", "Department of Commerce", "DOC"),
    ("Under Secretary for International Trade", "International Trade Administration", "ITA"),
    ("Minister of Economy, Trade and Industry", "Ministry of Economy, Trade and Industry", "METI"),
    ("Vice Minister for International Affairs", "Ministry of Economy, Trade and Industry", "METI"),
    ("Minister of Industry and Trade", "Ministry of Industry and Trade", "MOIT"),
    ("Minister of Commerce and Industry", "Ministry of Commerce and Industry", "MOCI"),
    ("Federal Minister for Economic Affairs and Climate Action", "Federal Ministry for Economic Affairs and Climate "
     "Action", "BMWK"),
    ("Minister for Foreign Trade", "Ministry for Europe and Foreign Affairs", "MEAE"),
    ("Ambassador", "Embassy", None),
    ("Director-General for Trade Policy", "Trade Policy Bureau", "TPB"),
    ("Commissioner", "Investment Promotion Agency", "IPA"),
]
CORP_TITLES = ["CEO", "Chairman", "President", "Vice Chairman", "Chief Executive Officer", "Executive Vice President",
               "Managing Director", "Country Manager"]
COMPANY_STEMS = ["Hanbit", "Daelim Nova", "Seowon", "Kumo", "Asteria", "Northwind", "Bluecrest", "Meridian",
                 "Tatsumi", "Hoshino", "Rheinwerk", "Vantage", "Lotusbay", "Ganga", "Saigon Delta", "Aurelia",
                 "Kestrel", "Halcyon", "Orchid", "Pinnacle", "Solterra", "Quantix", "Everpeak", "Juniper"]
COMPANY_KINDS = ["Electronics", "Chemical", "Motors", "Battery Solutions", "Semiconductor", "Heavy Industries",
                 "Energy", "Materials", "Biologics", "Steel", "Shipbuilding", "Hydrogen", "Robotics", "Display"]
COMPANY_SUFFIX = ["", " Co.", " Corp.", " Inc.", " Ltd.", " Group", " Holdings", " GmbH", " AG"]
ASSOCIATIONS = [
    ("Semiconductor Industry Association", "SIA"), ("Battery Industry Association", "BIA"),
    ("Chamber of Commerce and Industry", "CCI"), ("Federation of Industries", "FOI"),
    ("Trade-Investment Promotion Agency", "KOTRA"), ("Institute for Industrial Economics and Trade", "IIET"),
    ("Planning & Evaluation Institute of Industrial Technology", "KEIT"), ("Export-Import Bank", "EXIM"),
    ("Hydrogen Council", "HC"), ("Automobile Manufacturers Association", "AMA"), ("Business Council", "BC"),
]
SECTORS = ["semiconductor", "battery", "clean energy", "hydrogen", "critical minerals", "biotechnology",
           "shipbuilding", "nuclear power", "artificial intelligence (AI)", "electric vehicle", "steel", "robotics",
           "advanced materials", "offshore wind", "small modular reactor (SMR)", "display", "aerospace",
           "digital trade"]
FORUM_KINDS = ["Forum", "Business Forum", "Investment Forum", "Industry Dialogue", "Supply Chain Forum",
               "Roundtable", "Business Roundtable", "Partnership Conference", "Investment Seminar", "Summit"]
MEETING_KINDS = ["ministerial meeting", "bilateral meeting", "trade ministers' meeting", "Joint Committee meeting",
                 "high-level dialogue", "working-level consultation", "strategic dialogue"]
CEREMONY_KINDS = ["groundbreaking ceremony", "opening ceremony", "completion ceremony", "launch ceremony",
                  "signing ceremony", "ribbon-cutting ceremony"]
AGREEMENT_KINDS = [("memorandum of understanding (MOU)", "MOU"), ("memorandum of cooperation (MOC)", "MOC"),
                   ("memorandum of terms (MOT)", "MOT"), ("joint statement", None), ("letter of intent (LOI)", "LOI"),
                   ("framework agreement", None), ("action plan", None)]
CURRENCY_FORMS = [
    # (format, low, high, scale words)
    ("${n} {s}", 0.1, 60, ["million", "billion", "bln"]),
    ("US${n} {s}", 0.1, 30, ["million", "billion"]),
    ("USD {n} {s}", 0.1, 20, ["million", "billion"]),
    ("{n} {s} dollars", 1, 900, ["million"]),
    ("₩{n} {s}", 1, 40, ["billion", "trillion"]),
    ("{n} {s} won", 1, 900, ["billion", "trillion"]),
    ("KRW {n} {s}", 1, 50, ["billion", "trillion"]),
    ("¥{n} {s}", 1, 900, ["million", "billion"]),
    ("{n} {s} yen", 1, 500, ["billion"]),
    ("€{n} {s}", 0.1, 20, ["million", "billion"]),
    ("EUR {n} {s}", 1, 900, ["million"]),
    ("{n} {s} euros", 1, 900, ["million"]),
    ("CNY {n} {s}", 1, 90, ["billion"]),
    ("{n} {s} yuan", 1, 900, ["million"]),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = list(calendar.month_name)[1:]
FILLER = [
    "Participants discussed ways to strengthen supply chain resilience and expand private-sector exchanges.",
    "Both sides agreed to hold the next meeting within the year and to review progress regularly.",
    "The two governments will set up a working group to follow up on the outcomes.",
    "Officials noted that bilateral trade reached a record high last year despite global uncertainties.",
    "The event drew more than {k} participants from government, industry and academia.",
    "Attendees covered talent development, standards cooperation and joint research and development (R&D).",
    "The ministry plans to provide administrative support so that the projects proceed without delay.",
    "Companies from both countries exchanged views on regulatory issues and market access.",
    "The agreement is expected to create around {k} jobs in the region.",
    "The two sides also exchanged views on export controls and economic security.",
]


class Article:
    __slots__ = ("title", "body", "published")

    def __init__(self, title: str, body: str, published: date) -> None:
        self.title, self.body, self.published = title, body, published


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    # ---------------------------------------------------------------- pieces
    def country(self):
        return self.rng.choice(COUNTRIES)

    def person(self, country, titled: bool = True, corporate: str | None = None) -> tuple[str, str]:
        """(mention with title, short reference) for a person of `country`."""
        rng = self.rng
        name_c = country
        given, family = rng.choice(name_c[4]), rng.choice(name_c[5])
        family_first = name_c[6] and rng.random() < 0.5
        full = f"{family} {given}" if family_first else f"{given} {family}"
        if rng.random() < 0.1 and not name_c[6]:
            full = f"{given} {rng.choice('ABCDEFGHJKLMRST')}. {family}"
        if corporate:
            title = rng.choice(CORP_TITLES)
            mention = rng.choice([f"{corporate} {title} {full}", f"{full}, {title} of {corporate}"])
            return mention, f"{title} {family}"
        if not titled:
            return f"{rng.choice(['Mr.', 'Ms.', 'Dr.'])} {full}", family
        title, _, _ = rng.choice(GOV_TITLES)
        adj = name_c[1]
        if title == "Ambassador":
            mention = f"{adj} Ambassador to {self.country()[0]} {full}"
        else:
            mention = rng.choice([f"{adj} {title} {full}", f"{title} {full}", f"{full}, {adj} {title}"])
        return mention, f"{title.split(' of ')[0].split(' for ')[0]} {family}"

    def company(self, country) -> str:
        rng = self.rng
        return f"{rng.choice(COMPANY_STEMS)} {rng.choice(COMPANY_KINDS)}{rng.choice(COMPANY_SUFFIX)}"

    def org_with_acronym(self, country) -> str:
        name, acro = self.rng.choice(ASSOCIATIONS)
        return f"{country[1]} {name} ({country[0][:1].upper() if country[0][0] != 't' else 'U'}{acro})"

    def gov_org(self, country) -> str:
        _, org, acro = self.rng.choice([t for t in GOV_TITLES if t[2]])
        return f"{country[1]} {org} ({acro})" if self.rng.random() < 0.7 else f"the {org}"

    def amount(self) -> str:
        rng = self.rng
        fmt, low, high, scales = rng.choice(CURRENCY_FORMS)
        n = rng.uniform(low, high)
        n_text = f"{n:.1f}" if n < 10 else f"{n:,.0f}"
        text = fmt.format(n=n_text, s=rng.choice(scales))
        if rng.random() < 0.15:
            text = rng.choice(["about ", "approximately ", "over ", "some "]) + text
        if rng.random() < 0.1 and fmt.startswith("₩"):
            text += f" (approximately ${n / 1.3:.1f} {rng.choice(['million', 'billion'])})"
        return text

    def date_phrase(self, published: date) -> tuple[str, date]:
        """A phrase for a day near `published`, in one of the forms releases use."""
        rng = self.rng
        d = published - timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 7, 14, 30]))
        form = rng.randrange(6)
        if form == 0:
            return f"on {MONTHS[d.month - 1]} {d.day}", d
        if form == 1:
            return f"on {WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}", d
        if form == 2:
            return f"on {MONTHS[d.month - 1]} {d.day}, {d.year}", d
        if form == 3:
            return f"this {MONTHS[published.month - 1]}", published
        if form == 4:
            back = published.replace(day=1) - timedelta(days=rng.randint(20, 200))
            return f"last {MONTHS[back.month - 1]}", back
        return f"on {d.day} {MONTHS[d.month - 1]}", d

    def published(self) -> date:
        return date(2019, 1, 1) + timedelta(days=self.rng.randrange(365 * 6))

    def filler(self, k: int) -> list[str]:
        return [s.format(k=self.rng.randint(50, 900)) for s in self.rng.sample(FILLER, k)]

    # ------------------------------------------------------------- templates
    def forum(self, pub: date) -> tuple[str, list[str]]:
        rng = self.rng
        a, b = rng.sample(COUNTRIES, 2)
        sector = rng.choice(SECTORS)
        kind = rng.choice(FORUM_KINDS)
        name = f"{a[0].removeprefix('the ')}-{b[1]} {sector.split(' (')[0].title()} {kind}"
        when, _ = self.date_phrase(pub)
        city = rng.choice(a[3] + b[3])
        p1, r1 = self.person(a)
        p2, _ = self.person(b)
        title = rng.choice([f"{a[1]} and {b[1]} firms gather at {name}", f"{name} held in {city}",
                            f"{a[0].removeprefix('the ').capitalize()} hosts {name} to boost {sector} cooperation"])
        body = [
            f"{p1} and {p2} attended the {name} {when} in {city}, co-hosted by {self.org_with_acronym(a)} "
            f"and {self.org_with_acronym(b)}.",
            f"The forum was attended by representatives of {self.gov_org(a)}, {self.company(a)}, "
            f"{self.company(b)} and {self.company(b)}.",
            f"In his opening remarks, {r1} said {sector} cooperation is a pillar of the partnership.",
        ]
        return title, body

    def meeting(self, pub: date) -> tuple[str, list[str]]:
        rng = self.rng
        a, b = rng.sample(COUNTRIES, 2)
        kind = rng.choice(MEETING_KINDS)
        when, _ = self.date_phrase(pub)
        p1, r1 = self.person(a)
        p2, r2 = self.person(b)
        city = rng.choice(a[3] + b[3])
        title = rng.choice([f"{a[1]}-{b[1]} trade ministers discuss {rng.choice(SECTORS)} supply chains",
                            f"Joint Readout: {a[0].removeprefix('the ')}-{b[0].removeprefix('the ')} {kind.title()}",
                            f"{r1} meets {r2} in {city}"])
        body = [
            f"{p1} held a {kind} with {p2} {when} in {city} to discuss {rng.choice(SECTORS)} and "
            f"{rng.choice(SECTORS)} cooperation.",
            f"{r1} asked for the {b[1]} government's support for {a[1]} companies investing in {b[0]}.",
            f"{r2} said that {self.gov_org(b)} would continue close consultations with {self.gov_org(a)}.",
        ]
        return title, body

    def ceremony(self, pub: date) -> tuple[str, list[str]]:
        rng = self.rng
        a, b = rng.sample(COUNTRIES, 2)
        comp = self.company(a)
        kind = rng.choice(CEREMONY_KINDS)
        when, _ = self.date_phrase(pub)
        p1, r1 = self.person(a, corporate=comp)
        p2, _ = self.person(b)
        city = rng.choice(b[3])
        plant = f"{rng.choice(SECTORS).split(' (')[0]} {rng.choice(['plant', 'factory', 'R&D center', 'campus'])}"
        title = f"{comp} holds {kind} for {plant} in {city}"
        body = [
            f"{comp} held a {kind} for its new {plant} in {city} {when}.",
            f"The event was attended by {p1}, {p2} and some {rng.randint(50, 600)} guests.",
            f"{r1} said the {plant}, worth {self.amount()}, will begin operations in {pub.year + rng.randint(1, 3)}.",
        ]
        return title, body

    def pledge(self, pub: date) -> tuple[str, list[str]]:
        rng = self.rng
        a, b = rng.sample(COUNTRIES, 2)
        n = rng.randint(2, 12)
        when, _ = self.date_phrase(pub)
        amt = self.amount()
        p1, r1 = self.person(b)
        comp = self.company(a)
        title = rng.choice([f"{a[1]}-based firms pledge {amt} investments in {b[0].removeprefix('the ')}",
                            f"{comp} to invest {amt} in {b[0].removeprefix('the ')}",
                            f"{n} {a[1]} companies announce {amt} in new investment"])
        status = rng.choice(["pledged", "plans to invest", "has invested", "committed", "will invest"])
        body = [
            f"{p1} met executives from {n} {a[1]} companies {when} at an investment attraction event in "
            f"{rng.choice(b[3])}.",
            f"{comp} {status} {amt} in a {rng.choice(SECTORS)} project in {b[0]}, and "
            f"{self.company(a)} {rng.choice(['pledged', 'announced'])} a further {self.amount()}.",
            f"{r1} promised support through {self.org_with_acronym(b)} for the smooth implementation of the "
            f"investments.",
        ]
        return title, body

    def mou(self, pub: date) -> tuple[str, list[str]]:
        rng = self.rng
        a, b = rng.sample(COUNTRIES, 2)
        kind, short = rng.choice(AGREEMENT_KINDS)
        sector = rng.choice(SECTORS)
        when, _ = self.date_phrase(pub)
        o1, o2 = self.org_with_acronym(a), self.org_with_acronym(b)
        p1, _ = self.person(a)
        title = rng.choice([f"{a[1]} and {b[1]} sign {short or kind} on {sector} cooperation",
                            f"{o1.split(' (')[0]} and {o2.split(' (')[0]} sign {kind}"])
        body = [
            f"{o1} and {o2} signed a {kind} on {sector} cooperation {when} in {rng.choice(a[3] + b[3])}, "
            f"in the presence of {p1}.",
            f"Under the {short or kind}, the two organizations agreed to cooperate in joint research, workforce "
            f"training and investment facilitation in {sector}.",
        ]
        if rng.random() < 0.4:
            body.append(f"The {short or kind} also covers a joint fund of {self.amount()}.")
        return title, body

    def article(self) -> Article:
        rng = self.rng
        pub = self.published()
        template = rng.choice([self.forum, self.meeting, self.ceremony, self.pledge, self.mou])
        title, body = template(pub)
        if rng.random() < 0.5:  # a second fact of another kind in the same release
            body += rng.choice([self.forum, self.meeting, self.ceremony, self.pledge, self.mou])(pub)[1][:2]
        body += self.filler(rng.randint(1, 4))
        return Article(title, " ".join(body), pub)


# --------------------------------------------------------------------------- writing


def _record(gen: Generator, article: Article) -> str:
    rng = gen.rng
    title, body, iso = article.title, article.body, article.published.isoformat()
    roll = rng.random()
    if roll < MALFORMED_SHARE:
        kind = rng.randrange(3)
        if kind == 0:  # no date token
            return f"{title}\n{body}\n"
        if kind == 1:  # impossible date
            return f"{title}\n{body} date{article.published.year}-{rng.choice(['02-30', '13-01', '04-31', '00-10'])}\n"
        return f"\n{body} date{iso}\n"  # empty title
    if roll < MALFORMED_SHARE + TRUNCATED_SHARE:
        cut = rng.randint(len(body) // 3, len(body) - 2)
        while cut < len(body) - 1 and not (body[cut - 1].isalpha() and body[cut].isalpha()):
            cut += 1
        body = body[:cut]  # ends mid-word, no final punctuation
    return f"{title}\n{body} date{iso}\n"


def generate(articles: int, seed: int, out: Path, dumps: int = 1, use_gzip: bool = False,
             prefix: str | None = None) -> list[Path]:
    """Write `articles` records into `dumps` files under `out`; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    dumps = max(1, min(dumps, max(articles, 1)))
    tag = prefix or hashlib.sha256(f"{seed}-{articles}-{dumps}".encode()).hexdigest()[:16]
    paths: list[Path] = []
    per, extra = divmod(articles, dumps)
    for i in range(dumps):
        count = per + (1 if i < extra else 0)
        path = out / f"{i:03d}_{tag}.txt{'.gz' if use_gzip else ''}"
        tmp = path.with_name(path.name + ".tmp")  # the sensor ignores *.tmp while we write
        handle: TextIO
        handle = gzip.open(tmp, "wt", encoding="utf-8") if use_gzip else open(tmp, "w", encoding="utf-8")  # noqa: SIM115
        with handle:
            for _ in range(count):
                handle.write("-\n")
                handle.write(_record(gen, gen.article()))
        tmp.replace(path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dumps", type=int, default=1)
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--prefix", help="file name tag (default: hash of seed, size, dumps)")
    args = ap.parse_args(argv)
    for path in generate(args.articles, args.seed, args.out, args.dumps, args.gzip, args.prefix):
        print(f"{path}\t{path.stat().st_size}")


if __name__ == "__main__":
    main()
