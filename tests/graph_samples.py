"""Realistic documents and facts for the graph tests: band gaps and Curie temperatures as the
pipeline would emit them, with evidence sentences and character offsets that point into them.

Values are textbook ones (MAPbI3 ~1.55-1.6 eV, GaN 3.4 eV, Fe Tc 1043 K, Ni 627 K...). Two
papers disagree on MAPbI3 on purpose, so the "conflicting values" recipe has something to find.
"""

from __future__ import annotations

from lit.extract.document import DocumentInfo
from lit.extract.facts import Fact
from lit.graph.store import ExtractionRun

MODEL_V1 = "lit-ner-0.1+re-0.1"
MODEL_V2 = "lit-ner-0.2+re-0.2"

DOCS = [
    DocumentInfo(
        doc_id="a1b2c3d4e5f600000001",
        source="papers/perovskite_gaps.pdf",
        format="pdf",
        sha256="1" * 64,
        title="Optical band gaps of hybrid lead halide perovskites",
        authors=["A. Author", "B. Author"],
        doi="10.1021/jacs.0000001",
        journal="J. Am. Chem. Soc.",
        year=2015,
    ),
    DocumentInfo(
        doc_id="a1b2c3d4e5f600000002",
        source="papers/nitrides.html",
        format="html",
        sha256="2" * 64,
        title="Wide-gap nitride semiconductors revisited",
        doi="10.1103/PhysRevB.0000002",
        journal="Phys. Rev. B",
        year=2019,
    ),
    DocumentInfo(
        doc_id="a1b2c3d4e5f600000003",
        source="papers/magnets.xml",
        format="xml",
        sha256="3" * 64,
        title="Curie temperatures of 3d ferromagnets",
        doi="10.1016/j.jmmm.0000003",
        journal="J. Magn. Magn. Mater.",
        year=2008,
    ),
]


def _fact(doc: int, sentence: str, offset: int, compound: str, value_text: str, value: float,
          unit: str, prop: str, model: str = MODEL_V1, **extra: object) -> Fact:
    """A fact whose compound/value offsets really locate the strings in the sentence."""
    c0 = sentence.index(compound)
    v0 = sentence.index(value_text)
    return Fact(
        compound=compound,
        property=prop,
        value=value,
        unit=unit,
        raw_value=value_text,
        doc_id=DOCS[doc].doc_id,
        source=DOCS[doc].source,
        start=offset,
        end=offset + len(sentence),
        sentence=sentence,
        model=model,
        compound_start=offset + c0,
        compound_end=offset + c0 + len(compound),
        value_start=offset + v0,
        value_end=offset + v0 + len(value_text),
        **extra,  # type: ignore[arg-type]
    )


def facts(model: str = MODEL_V1) -> list[Fact]:
    """Eight facts over three papers (the same statements whatever the model, as a re-run)."""
    s1 = "The optical band gap of CH3NH3PbI3 is 1.55 eV at room temperature."
    s2 = "CsPbBr3 films show a band gap of 2.30 eV."
    s3 = "For CH3NH3PbI3 we measure a band gap of 1.61 eV, larger than reported before."
    s4 = "GaN has a direct band gap of 3.4 eV at 300 K."
    s5 = "AlN shows the widest gap, 6.0 eV."
    s6 = "Fe orders ferromagnetically below its Curie temperature of 1043 K."
    s7 = "The Curie temperature of Ni is 627 K."
    s8 = "Co remains ferromagnetic up to 1388 K."
    return [
        _fact(0, s1, 1200, "CH3NH3PbI3", "1.55 eV", 1.55, "eV", "band_gap", model,
              conditions={"temperature": "room temperature"}, confidence=0.93,
              section="Results", property_text="optical band gap",
              page=3, boxes=[[3, 56.7, 600.1, 290.2, 640.0], [4, 305.3, 700.0, 538.5, 720.4]]),
        _fact(0, s2, 1800, "CsPbBr3", "2.30 eV", 2.30, "eV", "band_gap", model, confidence=0.88,
              section="Results", property_text="band gap"),
        _fact(1, s3, 900, "CH3NH3PbI3", "1.61 eV", 1.61, "eV", "band_gap", model, confidence=0.81,
              section="Discussion", property_text="band gap"),
        _fact(1, s4, 300, "GaN", "3.4 eV", 3.4, "eV", "band_gap", model,
              conditions={"temperature": "300 K"}, confidence=0.97, section="Introduction",
              property_text="direct band gap", formula="GaN", compound_key="GaN"),
        _fact(1, s5, 500, "AlN", "6.0 eV", 6.0, "eV", "band_gap", model, confidence=0.42,
              section="Introduction", property_text="gap", flags=["low_confidence"]),
        _fact(2, s6, 100, "Fe", "1043 K", 1043.0, "K", "curie_temperature", model,
              confidence=0.95, section="Introduction", property_text="Curie temperature",
              formula="Fe", compound_key="Fe"),
        _fact(2, s7, 400, "Ni", "627 K", 627.0, "K", "curie_temperature", model, confidence=0.9,
              section="Results", property_text="Curie temperature"),
        _fact(2, s8, 700, "Co", "1388 K", 1388.0, "K", "curie_temperature", model,
              confidence=0.6, section="Results"),
    ]


def run(run_id: str = "run-2026-11-25", started: str = "2026-11-25T02:00:00+00:00",
        model: str = MODEL_V1, n_facts: int = 8) -> ExtractionRun:
    return ExtractionRun(
        run_id=run_id,
        started=started,
        lit_version="0.1.0",
        models=[model],
        finished=started.replace("02:00:00", "02:05:00"),
        documents=len(DOCS),
        facts=n_facts,
        failures=0,
    )
