"""A synthetic state-system catalog for benchmarks: N micro-credentials of one shape.

Owns ``generate(root, n, seed, shape)``, which writes a complete content folder
(``site.yml``, institutions with programs, credentials, pathways) that passes
``python build.py check`` with no errors. Everything is drawn from one
``random.Random(seed)``, so the same ``n``, ``seed`` and ``shape`` give
byte-identical files. The shapes (``SHAPES``):

- ``generated`` (the default, and the only shape before there were several): no
  warnings; a Markdown body of about 300 words, 3 to 6 outcomes, skills with
  framework codes, careers with SOC codes, a CTID and, when credit-bearing, 2 to 4
  courses.
- ``college``: written the way colleges write their own pages (the wordings are
  adapted from the college pages cited beside ``COLLEGE_OUTCOMES``): no
  ``ctid``, so every file carries a ``ctid-missing`` warning, and some outcomes
  start with "Know", which carries a ``measurable-outcome`` warning; skills named
  without a framework, careers without SOC codes, course-completion assessments,
  about 300 words of prose with a link.
- ``long``: about 1,500 words of body, 10 to 14 outcomes, 8 to 12 skills, 5 to 8
  courses, 3 to 5 careers, every optional field the generated shape sets.

Run it on its own to look at the result::

    python benchmarks/generate.py --n 1000 --out /tmp/catalog --shape college
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


# --- the college shape: wordings adapted from colleges' own micro-credential pages -------
# SUNY Cortland, TESOL microcredential, "Student Learning Outcomes":
#   https://www2.cortland.edu/academics/microcredentials/teaching-english-to-speakers-of-other-languages-tesol-microcredential
# SUNY Schenectady, Child Development Microcredential, "The program prepares students to:":
#   https://sunysccc.edu/Academics/Business-Criminal-Justice-and-Law/Academic-Programs/Child-Development-Micro.html
# SUNY Jefferson, Early Childhood Development 1 Microcredential, "you will be able to:":
#   https://sunyjefferson.edu/academics/programs/early-childhood-development-microcredential.php
# Monroe Community College, news release on Optical Fabrication Essentials (2022-08-12):
#   https://sites.monroecc.edu/news/2022/08/12/new-microcredentials-aim-to-meet-area-employers-workforce-demands-and-individual-needs/
COLLEGE_OUTCOMES = (
    "Know and use the vocabulary, tools and variation of {t} practice when working with "
    "clients and coworkers.",
    "Describe and apply {t} procedures from a three-dimensional perspective including "
    "structure, meaning and use.",
    "Demonstrate knowledge of the history, philosophy, theories and ethics of {t},",
    "Demonstrate professional knowledge of {t}.",
    "Plan, implement, assess and evaluate {t} work that aligns with standards set forth by "
    "the industry and the State's guidelines, as applicable.",
    "Demonstrate the skills and abilities of the effective {t} professional.",
    "Demonstrate an understanding of the role of the {t} professional dedicated to ethical "
    "practice and cultural responsiveness.",
    "Create work plans that include the activities and supports necessary for {t} tasks.",
    "Demonstrate an awareness of diversity in ability, family structure, race, culture and "
    "class among the people {e} serve,",
    "Use and identify effective observation, documentation and assessment in {t}.",
)
COLLEGE_ASSESSMENTS = (
    "Course assignments and a final exam in each required course.",
    "Assignments aligned with the completion of the portfolio.",
    "Completion of the required courses with a grade of C or better.",
    "Work plans scored with the program rubric.",
    "Field placement observed and evaluated by the instructor.",
)
COLLEGE_SKILLS = (
    "Understanding {t}",
    "Ethics of {t}",
    "Diversity and inclusion",
    "Effective observation",
    "Assessment",
    "Classroom management strategies",
    "Regulatory standards",
    "Interpersonal and communication skills",
)
COLLEGE_CAREERS = (
    "Entry-level {t} technician",
    "{T} assistant",
    "{T} specialist",
    "Team member in {e}",
)
COLLEGE_TITLES = ("{T} {n} Microcredential", "{T} Essentials {n}", "{T} Fundamentals {n}")
COLLEGE_PARAGRAPHS = (
    "Whether you are looking to upgrade skills in your current profession or enter a new "
    "field, a microcredential may be for you. Microcredentials are short, industry-focused "
    'credentials designed to provide in-demand skills that reflect the "shop floor" needs '
    'of industry. They are accelerated or "bite sized" training opportunities focused on a '
    "specific professional or career discipline and can lead to a certificate or to an "
    "initial or advanced degree.",
    "Designed to be meaningful, high-quality education programs to verify, validate and "
    "attest to specific skill sets and competencies of an individual, microcredential "
    "programs differ from degree and certificate programs in that they are generally "
    "offered in shorter or more flexible time spans with a narrow focus.",
    "The {title} will enable students to demonstrate competency in several "
    "key areas including {t}, the ethics of the field, and the importance of interpersonal "
    "communication skills. Individuals earning this credential are prepared to contribute "
    "to the workplace on the first day of employment in the {t} field at an above "
    "entry-level starting wage.",
    "Professionals may work for {e} and in other settings across the {region} region. The "
    "microcredential provides training to increase the potential for advancement within "
    "these organizations.",
    "Students who complete the {title} earn college credit hours that may "
    "later be transferred to one of {inst}'s certificate or degree programs. The course "
    "requirements are a perfect fit for the related certificate, AAS or AS degree programs.",
    "The college courses are offered virtually on weekday evenings and in person on "
    "campus. Please visit the course schedule for current offerings and delivery mode.",
)
LONG_SECTIONS = (
    "What you will learn",
    "How the courses fit together",
    "Who it is for",
    "How you are assessed",
    "Equipment and materials",
    "Schedule and format",
    "Support while you study",
    "After you finish",
    "Working with employers",
    "Questions learners ask",
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
        f"apply: {{url: 'https://www.{inst.id}.example.edu/apply/{serial}'}}",
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


def _college_body(rng: random.Random, title: str, topic: str, employers: str, inst) -> str:
    """About 300 words of college prose: paragraphs, a list of courses, a link."""

    def fill(text: str) -> str:
        return text.format(
            t=topic.lower(), e=employers, region=inst.city, title=title, inst=inst.name
        )

    paragraphs = [fill(p) for p in rng.sample(COLLEGE_PARAGRAPHS, 5)]
    return "\n\n".join(
        [
            *paragraphs[:3],
            "## Who should apply",
            paragraphs[3],
            "## How to apply",
            paragraphs[4],
            f"Current matriculated students complete the change of major form; new or "
            f"visiting students complete the [microcredential registration form]"
            f"(https://www.{inst.id}.example.edu/microcredentials/apply). Questions? "
            f"Contact **Adult and Continuing Education**.",
        ]
    )


def _college_credential(rng: random.Random, title: str, topic_index: int, inst, serial: int):
    """A credential as a college writes one: no ``ctid``, names without codes."""
    topic, prefix, employers = TOPICS[topic_index]
    t = topic.lower()

    def fill(text: str) -> str:
        return text.format(t=t, T=topic, e=employers)

    credit_bearing = rng.random() < 0.6
    program_id, _, _, program_credits = rng.choice(inst.programs)
    named = title if title.endswith("Microcredential") else f"{title} microcredential"
    summary = (
        f"The {named} prepares you to contribute to {employers} on the first day of employment."
    )[:300]
    lines = [
        f"title: {_quote(title)}",
        f"summary: {_quote(summary)}",
        f"institution: {inst.id}",
        f"type: {rng.choice(('industry-specific-technical-skill', 'transferable-skill'))}",
        f"credit_bearing: {'true' if credit_bearing else 'false'}",
    ]
    if credit_bearing:
        courses = [3] * rng.randint(2, 4)
        credits = min(sum(courses), program_credits)
        lines += [f"credits: {sum(courses)}", "courses:"]
        for index in range(len(courses)):
            lines += [
                f"  - code: {prefix} {101 + index + (serial % 4) * 100}",
                f"    title: {_quote(f'{topic} {QUALIFIERS[index]} Practice')}",
                "    credits: 3",
            ]
        stack = [f"  - program: {program_id}", f"    credits_applied: {credits}"]
    else:
        credits = rng.randint(1, 3)
        lines.append(f"hours: {rng.choice((90, 120, 180, 195))}")
        stack = [
            f"  - program: {program_id}",
            "    via: prior-learning",
            f"    credits_applied: {credits}",
        ]
    lines += [
        "eligibility: Open to current students and to community members with a high school "
        "diploma or equivalent.",
        "outcomes:",
    ]
    for outcome in rng.sample(COLLEGE_OUTCOMES, rng.randint(4, 6)):
        lines += [
            f"  - outcome: {_quote(fill(outcome))}",
            f"    assessment: {_quote(rng.choice(COLLEGE_ASSESSMENTS))}",
        ]
    year = 2022 + serial % 3
    month = 1 + serial % 12
    lines += [
        f"delivery: [{rng.choice(('in-person', 'online', 'hybrid'))}]",
        "employer_validation:",
        f"  partners: [{', '.join(rng.sample(PARTNERS, rng.randint(1, 2)))}]",
        f"  method: The program's advisory board of {employers} reviews the courses each year.",
        "status: active",
        "version: 1",
        f"contact: continuingeducation@{inst.id}.example.edu",
        "apply:",
        "  steps: Register online or call the continuing education office.",
        "stacks_into:",
        *stack,
        f"inventory_id: MC-{200000 + serial}",
        "approved:",
        "  by: Academic Affairs Council",
        f"  date: {year}-{month:02d}-01",
        "review:",
        f"  next: {year + 12}-{month:02d}-01",
        "skills:",
    ]
    for skill in rng.sample(COLLEGE_SKILLS, rng.randint(3, 5)):
        lines.append(f"  - name: {_quote(fill(skill))}")
    lines.append("careers:")
    for career in rng.sample(COLLEGE_CAREERS, rng.randint(1, 3)):
        lines.append(f"  - title: {_quote(fill(career))}")
    front = "\n".join(lines)
    body = _college_body(rng, named, topic, employers, inst)
    return f"---\n{front}\n---\n\n{body}\n", (credit_bearing, credits, program_id)


def _college_titles(rng: random.Random, n: int) -> list[tuple[str, int]]:
    """Titles as colleges name them, numbered so that each is unique."""
    titles = []
    for serial in range(n):
        topic_index = rng.randrange(len(TOPICS))
        form = rng.choice(COLLEGE_TITLES)
        titles.append((form.format(T=TOPICS[topic_index][0], n=serial + 1), topic_index))
    return titles


def _long_body(rng: random.Random, topic: str, employers: str, city: str) -> str:
    """About 1,500 words: every section of the generated body, and ten more."""
    parts = [_body(rng, topic, employers, city)]
    for heading in LONG_SECTIONS:
        chosen = rng.sample(SENTENCES, 5)
        text = " ".join(s.format(t=topic.lower(), e=employers, region=city) for s in chosen)
        parts += [f"## {heading}", text]
    return "\n\n".join(parts)


def _long_credential(rng: random.Random, title: tuple[str, int], inst, serial: int):
    """A generated credential with everything in quantity: outcomes, skills, courses."""
    text, facts = _credential(rng, title, inst, serial)
    topic, prefix, employers = TOPICS[title[1]]
    front, _, _ = text[4:].partition("\n---\n")
    extra_outcomes = []
    pairs = [(v, o) for v in VERBS for o in OBJECTS]
    for verb, obj in rng.sample(pairs, rng.randint(7, 8)):
        extra_outcomes += [
            f"  - outcome: {_quote(f'{verb} {obj.format(t=topic.lower())} (extended)')}",
            f"    assessment: {_quote(rng.choice(ASSESSMENTS))}",
        ]
    front = front.replace("\ndelivery:", "\n" + "\n".join(extra_outcomes) + "\ndelivery:", 1)
    skills = []
    for name, framework, code in rng.sample(SKILLS, rng.randint(8, 12)):
        skills += [f"  - name: {name}", f"    framework: {_quote(framework)}", f"    code: {code}"]
    careers = []
    for career, soc in rng.sample(CAREERS, rng.randint(3, 5)):
        careers += [f"  - title: {_quote(career)}", f"    soc: {soc}"]
    head, _, tail = front.partition("\nskills:\n")
    tail = tail[tail.index("\ntags:") :]
    front = head + "\nskills:\n" + "\n".join(skills) + "\ncareers:\n" + "\n".join(careers) + tail
    credit_bearing, credits, program_id = facts
    if credit_bearing:
        courses = [rng.choice((1, 2)) for _ in range(rng.randint(5, 8))]
        while sum(courses) >= 16:
            courses[courses.index(2)] = 1
        program_credits = next(p[3] for p in inst.programs if p[0] == program_id)
        credits = min(sum(courses), program_credits)
        course_lines = [f"credits: {sum(courses)}", "courses:"]
        for index, course_credits in enumerate(courses):
            course_lines += [
                f"  - code: {prefix} {1000 + serial % 900 + index * 10}",
                f"    title: {_quote(f'{topic} Part {index + 1}')}",
                f"    credits: {course_credits}",
            ]
        start = front.index("\ncredits:")
        end = front.index("\neligibility:")
        front = front[:start] + "\n" + "\n".join(course_lines) + front[end:]
        front = re.sub(
            r"^(stacks_into:\n  - program: \S+\n    credits_applied: )\d+",
            lambda m: f"{m.group(1)}{credits}",
            front,
            flags=re.M,
        )
        facts = (credit_bearing, credits, program_id)
    body = _long_body(rng, topic, employers, inst.city)
    return f"---\n{front}\n---\n\n{body}\n", facts


SHAPES = ("generated", "college", "long")
"""The shapes ``generate`` writes; the first is the default."""


FOCUSES = (
    "Basics",
    "Tools",
    "Methods",
    "Skills",
    "Practice",
    "Standards",
    "Techniques",
    "Operations",
    "Planning",
    "Procedures",
)
"""What a generated title's credential centres on: the fourth part of every title, so that
there are enough titles whose words differ (``_titles``)."""


def _titles(rng: random.Random, n: int) -> list[tuple[str, int]]:
    """Titles of at most 60 characters, each with the index of its topic (drawn evenly, as
    far as a topic's titles last), that the ``similar-title`` rule finds distinct: every
    title is a qualifier, a topic, a focus and an audience, one of each, so two titles with
    one topic never differ by a word more or fewer, only by a word for another (which the
    rule allows). Past the 27,345 such titles, the rest are numbered (and so similar)."""
    unused = []
    for topic, _, _ in TOPICS:
        forms = [
            f"{qualifier} {topic} {focus} for {audience}"
            for qualifier in QUALIFIERS
            for focus in FOCUSES
            for audience in AUDIENCES
        ]
        forms = [form for form in forms if len(form) <= 60]
        rng.shuffle(forms)
        unused.append(forms)
    titles: list[tuple[str, int]] = []
    while len(titles) < n and any(unused):
        topic_index = rng.randrange(len(TOPICS))
        if unused[topic_index]:
            titles.append((unused[topic_index].pop(), topic_index))
    distinct = len(titles)
    for serial in range(n - distinct):
        title, topic_index = titles[serial % distinct]
        titles.append((f"{title[:52].rstrip()} {serial // distinct + 2}", topic_index))
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


def generate(root: Path, n: int, seed: int = 0, shape: str = "generated") -> Path:
    """Write a content folder of ``n`` credentials of ``shape`` under ``root``; return it."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; choose one of {', '.join(SHAPES)}")
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
    titles = _college_titles(rng, n) if shape == "college" else _titles(rng, n)
    for serial, title in enumerate(titles):
        inst = institutions[serial % len(institutions)]
        slug = slugify(title[0])
        if shape == "college":
            text, facts = _college_credential(rng, title[0], title[1], inst, serial)
        elif shape == "long":
            text, facts = _long_credential(rng, title, inst, serial)
        else:
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
    parser.add_argument("--shape", choices=SHAPES, default=SHAPES[0], help="see the docstring")
    args = parser.parse_args()
    generate(args.out, args.n, args.seed, args.shape)
    print(f"Wrote {args.n} {args.shape} credentials to {args.out}")


if __name__ == "__main__":
    main()
