"""Restricted-party screening: speed, recall and precision of the current matching algorithm.

The list is the real OFAC SDN file of January 2023 (../shared/data/ofac-sdn, about 11,400
entries with their Remarks aliases and addresses) extended with generated entries of the same
shapes (companies with legal forms, persons as ``LAST, First``) to at least 30,000 entries,
written in OFAC's own headerless layout and loaded through the importer. The queries are list
names perturbed by one typo, word order, a legal-form change, Cyrillic transliteration or case
and punctuation, plus clean names that are on no list.

Also measured on the same data: a brute-force rapidfuzz scan (``process.extractOne`` over every
normalised name, on a sample, time extrapolated) and nomenklatura's ``logic-v2`` matcher (if it
is installed: ``pip install nomenklatura``) scoring the same candidate pairs.

Target: at least 5,000 names/s on one core, recall at least 0.98, precision at least 0.9.

    .venv/bin/python benchmarks/screening.py [--queries 100000] [--entries 30000]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from rackclear.screening import DEFAULT_THRESHOLD, ScreeningIndex, load_lists, normalise
from rackclear.screening.scoring import ALGORITHM

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ofac-sdn"
TARGET_PER_SECOND = 5_000
SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"] + ["sh", "kh", "ch", "ar", "el"]
CLEAN_SYLLABLES = [
    c + v for c in ("bl", "br", "gr", "pl", "pr", "sk", "sp", "st", "tr", "fl") for v in "aeiouy"
]
INDUSTRIES = [
    "TRADING",
    "INDUSTRIAL",
    "ENGINEERING",
    "SHIPPING",
    "ELECTRONICS",
    "PETROCHEMICAL",
    "AVIATION",
    "LOGISTICS",
    "TECHNOLOGY",
    "MACHINERY",
    "INVESTMENT",
    "HOLDING",
    "MARINE",
    "ENERGY",
    "DEVELOPMENT",
    "IMPORT EXPORT",
    "GENERAL TRADING",
    "SYSTEMS",
    "COMPONENTS",
]
FORMS = [
    "LLC",
    "LTD.",
    "CO., LTD.",
    "OOO",
    "JSC",
    "GMBH",
    "S.A.",
    "S.A. DE C.V.",
    "PTE. LTD.",
    "FZE",
    "INC.",
    "CORP.",
    "LIMITED",
    "COMPANY",
    "AG",
    "B.V.",
    "S.R.L.",
    "PVT. LTD.",
]
COUNTRIES = ["Russia", "Iran", "China", "United Arab Emirates", "Turkey", "Syria", "Venezuela"]
CLEAN = [
    "Northwind Optical Systems GmbH",
    "Dell Technologies Inc.",
    "Hewlett Packard Enterprise",
    "Supermicro Computer B.V.",
    "Equinix Singapore Pte. Ltd.",
    "Nordic Datacenter Cooling AB",
]
CYRILLIC = {
    "shch": "щ",
    "kh": "х",
    "zh": "ж",
    "ch": "ч",
    "sh": "ш",
    "ts": "ц",
    "ya": "я",
    "yu": "ю",
    "a": "а",
    "b": "б",
    "v": "в",
    "g": "г",
    "d": "д",
    "e": "е",
    "z": "з",
    "i": "и",
    "y": "й",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "f": "ф",
    "h": "х",
    "c": "к",
    "j": "дж",
    "w": "в",
    "x": "кс",
    "q": "к",
}


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    country: str | None
    target: str | None  # the entry id the name was made from; None for a clean name
    kind: str


def word(rng: random.Random, pool: list[str] = SYLLABLES) -> str:
    return "".join(rng.choice(pool) for _ in range(rng.randint(2, 4))).upper()


def generated_row(number: int, rng: random.Random) -> list[str]:
    """An OFAC sdn.csv row: a company with a legal form, or a person as ``LAST, First``."""
    empty = ["-0- "] * 12
    if rng.random() < 0.4:
        name, kind = (
            f"{word(rng)} {word(rng)}, {word(rng).title()} {word(rng).title()}",
            "individual",
        )
    else:
        name = f"{word(rng)} {rng.choice(INDUSTRIES)} {rng.choice(FORMS)}"
        name, kind = (f"{word(rng)} {name}" if rng.random() < 0.5 else name), "-0- "
    aka = f"a.k.a. '{word(rng)} {rng.choice(INDUSTRIES)}'." if rng.random() < 0.3 else "-0- "
    return [str(number), name, kind, "SDGT", *empty[4:11], aka]


def build_list(folder: Path, entries: int, rng: random.Random) -> ScreeningIndex:
    real = [DATA / "sdn_2023-01.csv", DATA / "sdn_address_2023-01.csv"]
    generated = folder / "sdn_generated.csv"
    with generated.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for i in range(max(0, entries - 11_443)):
            writer.writerow(generated_row(900_000 + i, rng))
    addresses = folder / "add_generated.csv"
    with addresses.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for i in range(max(0, entries - 11_443)):
            writer.writerow(
                [900_000 + i, 1_000_000 + i, "-0- ", "-0- ", rng.choice(COUNTRIES), "-0- "]
            )
    return load_lists([*real, generated, addresses], versions={str(generated): "benchmark"})


# perturbations: each takes a list name and returns the name as a screener might type it


def typo(name: str, rng: random.Random) -> str:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long:
        return name.lower()
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    edit = rng.choice(["sub", "del", "ins", "swap"])
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    words[i] = {
        "sub": w[:j] + letter + w[j + 1 :],
        "del": w[:j] + w[j + 1 :],
        "ins": w[:j] + letter + w[j:],
        "swap": w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :],
    }[edit]
    return " ".join(words)


def word_order(name: str, rng: random.Random) -> str:
    words = name.replace(",", "").split()
    rng.shuffle(words)
    return " ".join(words)


def legal_form(name: str, rng: random.Random) -> str:
    stem = normalise(name).ordered.upper()
    return f"{stem} {rng.choice(FORMS)}"


def transliterate(name: str, rng: random.Random) -> str:
    text, out = name.lower(), []
    i = 0
    while i < len(text):
        for size in (4, 2, 1):
            if text[i : i + size] in CYRILLIC:
                out.append(CYRILLIC[text[i : i + size]])
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def case_punctuation(name: str, rng: random.Random) -> str:
    return name.lower().replace(",", "").replace(".", "").replace("-", " ")


PERTURBATIONS: list[Callable[[str, random.Random], str]] = [
    typo,
    word_order,
    legal_form,
    transliterate,
    case_punctuation,
]


def make_queries(index: ScreeningIndex, count: int, rng: random.Random) -> list[Query]:
    queries: list[Query] = []
    listed = {n.normal.key for n in index.names}
    for _ in range(count):
        if rng.random() < 0.2:
            queries.append(clean_query(listed, rng))
            continue
        entry = rng.choice(index.entries)
        name = rng.choice(entry.names())
        perturb = rng.choice(PERTURBATIONS)
        country = (
            rng.choice(sorted(entry.countries)) if entry.countries and rng.random() < 0.5 else None
        )
        queries.append(Query(perturb(name, rng), country, entry.entry_id, perturb.__name__))
    return queries


def clean_query(listed: set[str], rng: random.Random) -> Query:
    while True:
        name = (
            rng.choice(CLEAN)
            if rng.random() < 0.05
            else f"{word(rng, CLEAN_SYLLABLES)} {rng.choice(INDUSTRIES)} {rng.choice(FORMS)}"
        )
        if normalise(name).key not in listed:
            return Query(name, rng.choice(["US", "DE", "SG", None]), None, "clean")


@dataclass
class Tally:
    positives: int = 0
    negatives: int = 0
    found: int = 0
    hits: int = 0
    right_hits: int = 0

    def add(self, query: Query, matched: set[str]) -> None:
        if query.target is not None:
            self.positives += 1
            self.found += query.target in matched
        else:
            self.negatives += 1
        if matched:
            self.hits += 1
            self.right_hits += query.target in matched

    @property
    def recall(self) -> float:
        return self.found / self.positives if self.positives else 1.0

    @property
    def precision(self) -> float:
        return self.right_hits / self.hits if self.hits else 1.0


def run_rackclear(
    index: ScreeningIndex, queries: list[Query]
) -> tuple[float, Tally, dict[str, Tally]]:
    tally, by_kind = Tally(), {}
    start = time.perf_counter()
    results = [index.screen(q.name, country=q.country) for q in queries]
    elapsed = time.perf_counter() - start
    for query, result in zip(queries, results, strict=True):
        matched = {m.entry_id for m in result.matches}
        tally.add(query, matched)
        by_kind.setdefault(query.kind, Tally()).add(query, matched)
    return len(queries) / elapsed, tally, by_kind


def run_brute_force(index: ScreeningIndex, queries: list[Query]) -> tuple[float, Tally]:
    keys = [n.normal.key for n in index.names]
    tally = Tally()
    start = time.perf_counter()
    found = [
        process.extractOne(
            normalise(q.name).key, keys, scorer=fuzz.ratio, score_cutoff=DEFAULT_THRESHOLD * 100
        )
        for q in queries
    ]
    elapsed = time.perf_counter() - start
    for query, best in zip(queries, found, strict=True):
        tally.add(query, {index.entries[index.names[best[2]].entry].entry_id} if best else set())
    return len(queries) / elapsed, tally


def run_nomenklatura(index: ScreeningIndex, queries: list[Query]) -> tuple[float, Tally] | str:
    try:
        from followthemoney import model
        from nomenklatura.matching import LogicV2
    except ImportError as exc:
        return f"nomenklatura is not installed here ({exc.name}); pip install nomenklatura"
    config = LogicV2.default_config()
    proxies: dict[int, object] = {}

    def proxy(number: int, name: str, countries: list[str], schema: str = "LegalEntity") -> object:
        made = model.make_entity(schema)
        made.id = f"e{number}"
        made.add("name", name)
        for country in countries:
            made.add("country", country.lower())
        return made

    def listed(number: int) -> object:
        if number not in proxies:
            entry = index.entries[number]
            made = proxy(
                number,
                entry.name,
                sorted(entry.countries),
                "Person" if entry.kind == "individual" else "LegalEntity",
            )
            for alias in entry.aliases:
                made.add("alias", alias)  # type: ignore[attr-defined]
            proxies[number] = made
        return proxies[number]

    tally = Tally()
    start = time.perf_counter()
    for i, query in enumerate(queries):
        q = proxy(-i, query.name, [query.country] if query.country else [])
        normal = normalise(query.name)
        blocked = index.exact.get(normal.key, []) + index.blocker.candidates(normal.sounds)
        entries = {index.names[n].entry for n in blocked}
        matched = {
            index.entries[e].entry_id
            for e in entries
            if LogicV2.compare(q, listed(e), config).score >= 0.7  # type: ignore[arg-type]
        }
        tally.add(query, matched)
    return len(queries) / (time.perf_counter() - start), tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=30_000)
    parser.add_argument("--brute-sample", type=int, default=400)
    parser.add_argument("--nomenklatura-sample", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(20260101)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        index = build_list(Path(folder), args.entries, rng)
        print(
            f"list: {len(index.entries):,} entries, {len(index.names):,} names and aliases, loaded and indexed in {time.perf_counter() - start:.1f} s"
        )
    queries = make_queries(index, args.queries, rng)
    report(index, queries, args)
    return 0


def report(index: ScreeningIndex, queries: list[Query], args: argparse.Namespace) -> None:
    speed, tally, by_kind = run_rackclear(index, queries)
    ok = speed >= TARGET_PER_SECOND and tally.recall >= 0.98 and tally.precision >= 0.9
    print(
        f"{ALGORITHM} (threshold {DEFAULT_THRESHOLD}): {len(queries):,} names, {speed:,.0f} names/s, recall {tally.recall:.4f}, precision {tally.precision:.4f} -> {'OK' if ok else 'BELOW TARGET'}"
    )
    for kind, part in sorted(by_kind.items()):
        if kind == "clean":
            print(f"  {kind:17} {part.hits} of {part.negatives} clean names got a (false) hit")
        else:
            print(f"  {kind:17} recall {part.recall:.4f}  ({part.positives} queries)")
    sample = queries[: max(1, args.brute_sample)]
    brute_speed, brute = run_brute_force(index, sample)
    print(
        f"brute-force rapidfuzz extractOne (sample {len(sample)}): {brute_speed:,.1f} names/s, 100,000 names would take {100_000 / brute_speed / 60:,.1f} min; recall {brute.recall:.4f}, precision {brute.precision:.4f}; rackclear is {speed / brute_speed:,.0f}x faster"
    )
    sample = queries[: max(1, args.nomenklatura_sample)]
    outcome = run_nomenklatura(index, sample)
    if isinstance(outcome, str):
        print(f"nomenklatura: {outcome}")
        return
    nk_speed, nk = outcome
    print(
        f"nomenklatura logic-v2 on the same candidates (sample {len(sample)}, threshold 0.7): {nk_speed:,.1f} names/s, recall {nk.recall:.4f}, precision {nk.precision:.4f}; rackclear is {speed / nk_speed:,.0f}x faster"
    )


if __name__ == "__main__":
    sys.exit(main())
