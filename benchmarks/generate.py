"""A synthetic state-system catalog for benchmarks: N policy-valid micro-credentials.

Owns ``generate(root, n, seed)``, which writes a complete content folder
(``site.yml``, institutions with programs, credentials, pathways) that passes
``python build.py check`` with no errors and no warnings. Everything is drawn from
one ``random.Random(seed)``, so the same ``n`` and ``seed`` give byte-identical
files. Each credential has a Markdown body of about 300 words, 3 to 6 outcomes,
skills, careers and, when credit-bearing, 2 to 4 courses.

Run it on its own to look at the result::

    python benchmarks/generate.py --n 1000 --out /tmp/catalog
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

TOPICS = (
    ("Welding", "WELD", "fabrication shops"),
    ("CNC Machining", "MTT", "precision manufacturers"),
    ("Phlebotomy", "HLTH", "hospital laboratories"),
    ("Medical Coding", "HIT", "clinics and insurers"),
    ("Network Security", "CYBR", "managed service providers"),
    ("Cloud Administration", "CIS", "regional data centers"),
    ("Data Analytics", "DATA", "finance and retail employers"),
    ("Payroll Accounting", "ACCT", "accounting firms"),
    ("Supply Chain Logistics", "LOG", "distribution centers"),
    ("Solar Installation", "ENRG", "renewable energy contractors"),
    ("HVAC Service", "HVAC", "mechanical contractors"),
    ("Electrical Wiring", "ELEC", "electrical contractors"),
    ("Residential Carpentry", "CARP", "home builders"),
    ("Food Safety", "CUL", "restaurants and food processors"),
    ("Early Childhood Education", "ECE", "child care centers"),
    ("Technical Writing", "ENGL", "software and engineering firms"),
    ("Project Management", "BUS", "construction and IT employers"),
    ("Customer Service", "BUS", "call centers and retailers"),
    ("Industrial Maintenance", "IMT", "food and paper plants"),
    ("Pharmacy Technology", "PHAR", "retail and hospital pharmacies"),
    ("Digital Marketing", "MKTG", "agencies and small businesses"),
    ("Web Development", "WEB", "software studios"),
    ("Geographic Information Systems", "GIS", "county and city governments"),
    ("Commercial Driving", "CDL", "freight carriers"),
    ("Nursing Assistance", "NURS", "long-term care facilities"),
    ("Emergency Medical Response", "EMS", "ambulance services"),
    ("Precision Agriculture", "AGRI", "farm cooperatives"),
    ("Automotive Diagnostics", "AUTO", "dealerships and repair shops"),
    ("Robotics and Automation", "ROBO", "advanced manufacturers"),
    ("Human Resources", "HR", "employers of every size"),
)
QUALIFIERS = (
    "Foundations of",
    "Applied",
    "Advanced",
    "Introductory",
    "Practical",
    "Essentials of",
    "Field",
    "Workplace",
    "Professional",
    "Certified",
    "Intermediate",
    "Hands-on",
)
AUDIENCES = (
    "Career Changers",
    "Incumbent Workers",
    "Veterans",
    "Supervisors",
    "New Hires",
    "Apprentices",
    "Rural Employers",
    "Adult Learners",
    "High School Graduates",
    "Team Leads",
)
VERBS = (
    "Apply",
    "Demonstrate",
    "Perform",
    "Explain",
    "Identify",
    "Write",
    "Analyze",
    "Operate",
    "Evaluate",
    "Document",
    "Troubleshoot",
    "Plan",
    "Inspect",
    "Calculate",
    "Configure",
)
OBJECTS = (
    "the standard operating procedure for {t}",
    "a safety checklist used in {t} work",
    "common faults in {t} equipment",
    "a written report on a {t} project",
    "the quality standards employers expect in {t}",
    "a budget and schedule for a small {t} job",
    "the regulations that govern {t}",
    "a client-ready summary of {t} results",
)
ASSESSMENTS = (
    "Practical exam observed by the instructor with a skills checklist.",
    "Proctored written test, passed at 80% or higher.",
    "Portfolio of three work samples scored with a rubric by an employer partner.",
    "Capstone project graded by the instructor and an industry reviewer.",
    "Timed simulation scored against the industry standard.",
)
SKILLS = (
    ("Critical Thinking", "O*NET", "2.A.2.a"),
    ("Monitoring", "O*NET", "2.A.2.d"),
    ("Operation and Control", "O*NET", "2.B.3.h"),
    ("Quality Control Analysis", "O*NET", "2.B.3.m"),
    ("Troubleshooting", "O*NET", "2.B.3.j"),
    ("Writing", "O*NET", "2.A.1.d"),
    ("Active Listening", "O*NET", "2.A.1.b"),
    ("Coordination", "O*NET", "2.B.1.b"),
    ("Teamwork", "NACE", "teamwork"),
    ("Communication", "NACE", "communication"),
    ("Technology", "NACE", "technology"),
    ("Professionalism", "NACE", "professionalism"),
    ("Mathematics", "O*NET", "2.A.1.e"),
    ("Systems Analysis", "O*NET", "2.B.4.g"),
    ("Equipment Maintenance", "O*NET", "2.B.3.l"),
    ("Time Management", "O*NET", "2.B.5.a"),
)
CAREERS = (
    ("Welders, Cutters, Solderers, and Brazers", "51-4121"),
    ("Machinists", "51-4041"),
    ("Phlebotomists", "31-9097"),
    ("Medical Records Specialists", "29-2072"),
    ("Information Security Analysts", "15-1212"),
    ("Network and Computer Systems Administrators", "15-1244"),
    ("Data Scientists", "15-2051"),
    ("Payroll and Timekeeping Clerks", "43-3051"),
    ("Logisticians", "13-1081"),
    ("Solar Photovoltaic Installers", "47-2231"),
    ("Electricians", "47-2111"),
    ("Carpenters", "47-2031"),
    ("Technical Writers", "27-3042"),
    ("Project Management Specialists", "13-1082"),
    ("Customer Service Representatives", "43-4051"),
    ("Pharmacy Technicians", "29-2052"),
    ("Web Developers", "15-1254"),
    ("Nursing Assistants", "31-1131"),
    ("Heavy and Tractor-Trailer Truck Drivers", "53-3032"),
    ("Human Resources Specialists", "13-1071"),
)
CITIES = (
    "Duluth",
    "Winona",
    "Mankato",
    "Bemidji",
    "Moorhead",
    "Rochester",
    "St. Cloud",
    "Brainerd",
    "Marshall",
    "Hibbing",
    "Willmar",
    "Fergus Falls",
    "Red Wing",
    "Austin",
    "Worthington",
)
AWARDS = (("certificate", 30), ("diploma", 48), ("associate", 60), ("bachelor", 120))
PARTNERS = (
    "Northland Fabrication",
    "Lakes Area Health",
    "Iron Range Manufacturing Council",
    "Prairie Electric Cooperative",
    "Valley Logistics Group",
    "Regional Chamber of Commerce",
    "Twin Ports Software",
    "Mesabi Medical Center",
    "Red River Builders Association",
)
SENTENCES = (
    "Employers in {region} tell us they need people who can do {t} work safely from the "
    "first day, and this micro-credential is built around exactly that need.",
    "You learn by doing: most of the time is spent on realistic tasks drawn from {e}, "
    "with feedback from instructors who have worked in the field.",
    "Each outcome is assessed on its own, so you know at every step what you can already "
    "show an employer and what you still need to practice.",
    "Classes are small and scheduled so that working adults can keep their jobs while "
    "they study, with evening and weekend options in most terms.",
    "The skills you prove here are the ones hiring managers at {e} list first when they "
    "describe a strong new hire.",
    "When you finish, you receive a digital badge that links to these criteria, so anyone "
    "you share it with can see what you did to earn it.",
    "Advisers help you plan what comes next, including how the credits or hours you earn "
    "count toward a certificate, diploma or degree.",
    "Partner employers review the assessments every year and bring current equipment, "
    "documents and problems into the classroom.",
    "Learners who already work in {t} can have prior experience reviewed and may move "
    "faster through the parts they already know well.",
    "Support is available throughout: tutoring, accessible materials, and an instructor "
    "who answers questions within one business day.",
)


@dataclass(frozen=True, slots=True)
class Institution:
    id: str
    name: str
    city: str
    programs: tuple[tuple[str, str, str, int], ...]
    """(id, name, award, credits) of each academic program."""


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _quote(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _institutions(rng: random.Random, count: int) -> list[Institution]:
    made = []
    for index in range(count):
        city = CITIES[index % len(CITIES)]
        kind = "State University" if index % 4 == 0 else "Technical College"
        round_ = index // len(CITIES)
        name = f"{city} {kind}" + (f" {round_ + 1}" if round_ else "")
        inst_id = slugify(name)
        programs = []
        for topic, _, _ in rng.sample(TOPICS, 6):
            award, credits = rng.choice(AWARDS)
            program_id = slugify(f"{inst_id}-{topic}-{award}")
            programs.append((program_id, f"{topic} Program at {name}", award, credits))
        made.append(Institution(inst_id, name, city, tuple(programs)))
    return made


def _institution_yaml(inst: Institution) -> str:
    lines = [
        f"name: {inst.name}",
        f"url: https://www.{inst.id}.example.edu",
        f"email: badges@{inst.id}.example.edu",
        f"description: {inst.name} serves learners and employers across the {inst.city} "
        "region with credit and non-credit programs.",
        "location:",
        f"  city: {inst.city}",
        "  region: MN",
        "  country: US",
        "programs:",
    ]
    for program_id, name, award, credits in inst.programs:
        lines += [
            f"  - id: {program_id}",
            f"    name: {name}",
            f"    award: {award}",
            f"    credits: {credits}",
        ]
    return "\n".join(lines) + "\n"


def _body(rng: random.Random, topic: str, employers: str, city: str) -> str:
    def paragraph(count: int) -> str:
        chosen = rng.sample(SENTENCES, count)
        return " ".join(s.format(t=topic.lower(), e=employers, region=city) for s in chosen)

    tasks = [
        f"- {verb} {obj.format(t=topic.lower())}."
        for verb, obj in zip(rng.sample(VERBS, 4), rng.sample(OBJECTS, 4), strict=True)
    ]
    return "\n\n".join(
        [
            paragraph(4),
            "## What you will do",
            "\n".join(tasks),
            "## Who it is for",
            paragraph(3),
            "## After you finish",
            paragraph(3),
        ]
    )


def _credential(rng: random.Random, title: tuple[str, int], inst: Institution, serial: int):
    title, topic_index = title
    topic, prefix, employers = TOPICS[topic_index]
    credit_bearing = rng.random() < 0.6
    outcomes = []
    for verb, obj in zip(
        rng.sample(VERBS, rng.randint(3, 6)), rng.sample(OBJECTS, 6), strict=False
    ):
        outcomes.append((f"{verb} {obj.format(t=topic.lower())}", rng.choice(ASSESSMENTS)))
    program_id, _, _, program_credits = rng.choice(inst.programs)
    summary = (
        f"Build job-ready {topic.lower()} skills that {employers} ask for, "
        "assessed against clear outcomes and recognized with a badge."
    )
    lines = [
        f"title: {_quote(title)}",
        f"summary: {_quote(summary)}",
        f"institution: {inst.id}",
        f"type: {rng.choice(('industry-specific-technical-skill', 'transferable-skill'))}",
        f"credit_bearing: {'true' if credit_bearing else 'false'}",
    ]
    if credit_bearing:
        courses = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
        credits = min(sum(courses), program_credits)
        lines += [f"credits: {sum(courses)}", "courses:"]
        for index, course_credits in enumerate(courses):
            lines += [
                f"  - code: {prefix} {1000 + serial % 900 + index * 10}",
                f"    title: {_quote(f'{topic} Part {index + 1}')}",
                f"    credits: {course_credits}",
            ]
        stack = [f"  - program: {program_id}", f"    credits_applied: {credits}"]
    else:
        credits = rng.randint(1, 3)
        lines.append(f"hours: {rng.choice((16, 24, 32, 40, 45, 60))}")
        stack = [
            f"  - program: {program_id}",
            f"    via: {rng.choice(('prior-learning', 'articulation'))}",
            f"    credits_applied: {credits}",
        ]
    lines.append(
        f"eligibility: Open to adults with a high school diploma or GED; no experience in "
        f"{topic.lower()} is required."
    )
    lines.append("outcomes:")
    for outcome, assessment in outcomes:
        lines += [f"  - outcome: {_quote(outcome)}", f"    assessment: {_quote(assessment)}"]
    delivery = sorted(rng.sample(("online", "in-person", "hybrid"), rng.randint(1, 2)))
    partners = rng.sample(PARTNERS, rng.randint(1, 3))
    year = 2020 + serial % 5
    month = 1 + serial % 12
    lines += [
        f"delivery: [{', '.join(delivery)}]",
        "employer_validation:",
        f"  partners: [{', '.join(partners)}]",
        f"  method: Partners from {employers} reviewed the outcomes and assessments.",
        "status: active",
        f"version: {1 + serial % 3}",
        f"contact: microcredentials@{inst.id}.example.edu",
        "stacks_into:",
        *stack,
        f"inventory_id: MC-{100000 + serial}",
        f"ctid: ce-{uuid.UUID(int=rng.getrandbits(128), version=4)}",
        "approved:",
        "  by: Vice President of Academic Affairs (designee)",
        f"  date: {year}-{month:02d}-15",
        f"effective: {year}-{month:02d}-28",
        "review:",
        f"  last: {year}-{month:02d}-28",
        f"  next: {year + 12}-{month:02d}-28",
        f"level: {'undergraduate' if credit_bearing else 'noncredit'}",
        f"duration: {rng.choice(('8 weeks', '10 weeks', 'one semester', '16 weeks'))}",
        "cost:",
        f"  amount: {rng.randint(0, 40) * 50}",
        "  currency: USD",
        "skills:",
    ]
    for name, framework, code in rng.sample(SKILLS, rng.randint(2, 4)):
        lines += [f"  - name: {name}", f"    framework: {_quote(framework)}", f"    code: {code}"]
    lines.append("careers:")
    for career, soc in rng.sample(CAREERS, rng.randint(1, 3)):
        lines += [f"  - title: {_quote(career)}", f"    soc: {soc}"]
    lines.append(f"tags: [{slugify(topic)}, {prefix.lower()}]")
    front = "\n".join(lines)
    return f"---\n{front}\n---\n\n{_body(rng, topic, employers, inst.city)}\n", (
        credit_bearing,
        credits,
        program_id,
    )


def _titles(rng: random.Random, n: int) -> list[tuple[str, int]]:
    """Unique titles of at most 60 characters, each with the index of its topic."""
    seen: set[str] = set()
    titles = []
    while len(titles) < n:
        topic_index = rng.randrange(len(TOPICS))
        topic = TOPICS[topic_index][0]
        title = f"{rng.choice(QUALIFIERS)} {topic} for {rng.choice(AUDIENCES)}"
        suffix = 2
        candidate = title
        while candidate.lower() in seen or len(candidate) > 60:
            candidate = f"{title[:52].rstrip()} {suffix}"
            suffix += 1
        seen.add(candidate.lower())
        titles.append((candidate, topic_index))
    return titles


def _pathway(rng, slug: str, inst: Institution, steps: list[tuple[str, tuple]]) -> str:
    program_id, name, _, program_credits = inst.programs[0]
    lines = [
        f"title: {_quote(f'Micro-pathway {slug[-5:]} to {name}'[:60])}",
        f"summary: {_quote(f'Stack {len(steps)} micro-credentials toward {name}.')}",
        f"institution: {inst.id}",
        f"award: {program_id}",
        "steps:",
    ]
    budget = program_credits
    for credential_slug, (credit_bearing, credits, _) in steps:
        applied = min(credits, budget)
        budget -= applied
        lines.append(f"  - credential: {credential_slug}")
        if not credit_bearing:
            lines.append(f"    via: {rng.choice(('prior-learning', 'articulation'))}")
        lines.append(f"    credits_applied: {applied}")
    body = (
        f"Each step of this micro-pathway stands on its own, and together they count toward "
        f"{name}. Talk with an adviser about the order that suits your schedule."
    )
    return "---\n" + "\n".join(lines) + f"\n---\n\n{body}\n"


def generate(root: Path, n: int, seed: int = 0) -> Path:
    """Write a content folder of ``n`` credentials under ``root``; return the folder."""
    rng = random.Random(seed)
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    for folder in ("institutions", "credentials", "pathways"):
        (root / folder).mkdir(parents=True)
    (root / "site.yml").write_text(
        "title: Benchmark State System Micro-credential Catalog\n"
        "base_url: https://catalog.example.edu\n"
        "policy: minnstate-3.36.2\n"
        "language: en\n"
        "description: A synthetic catalog for measuring build speed.\n",
        encoding="utf-8",
    )
    institutions = _institutions(rng, max(2, n // 200))
    for inst in institutions:
        (root / "institutions" / f"{inst.id}.yml").write_text(
            _institution_yaml(inst), encoding="utf-8"
        )
    by_institution: dict[str, list[tuple[str, tuple]]] = {i.id: [] for i in institutions}
    for serial, title in enumerate(_titles(rng, n)):
        inst = institutions[serial % len(institutions)]
        slug = slugify(title[0])
        text, facts = _credential(rng, title, inst, serial)
        (root / "credentials" / f"{slug}.md").write_text(text, encoding="utf-8")
        by_institution[inst.id].append((slug, facts))
    for index in range(max(1, n // 20)):
        inst = institutions[index % len(institutions)]
        members = by_institution[inst.id]
        steps = rng.sample(members, min(len(members), rng.randint(2, 4)))
        slug = f"pathway-{index + 1:05d}"
        (root / "pathways" / f"{slug}.md").write_text(
            _pathway(rng, slug, inst, steps), encoding="utf-8"
        )
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="credentials to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="the content folder to write")
    args = parser.parse_args()
    generate(args.out, args.n, args.seed)
    print(f"Wrote {args.n} credentials to {args.out}")


if __name__ == "__main__":
    main()
