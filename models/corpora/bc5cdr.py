"""BC5CDR (PubMed title + abstract, PubTator) -> Examples, one per abstract.

PubTator offsets count over the title and abstract joined by one space, so the Example
text is exactly ``title + " " + abstract`` and the annotated spans are used as given.
Only Chemical mentions have a counterpart (COMPOUND); the corpus is biomedical, with no
property or value annotations, and serves as organic-name NER breadth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from lit.models.corpus import EntitySpan, Example

from .spec import CorpusSpec, check_split, require_file
from .tokens import tokenize_with_spans

FOLDER = "bc5cdr"

SPEC = CorpusSpec(
    name="bc5cdr",
    folder=FOLDER,
    source_repo="https://github.com/cryptoradon/biomedRelExt (CDR_Data/CDR.Corpus.v010516)",
    commit="3f113ff1aefd03b7ecf053a6bc33cc6a75532f20",
    licence="NCBI/NLM public-domain notice (pubtator/README.txt); cite Wei et al. 2015, Li et al. 2016",
    label_map={"Chemical": "COMPOUND"},
    dropped={
        "Disease": "no counterpart in the fact schema",
        "CID relations": "chemical-induced disease links have no counterpart",
    },
    splits={
        "train": "pubtator/CDR_TrainingSet.PubTator.txt",
        "validation": "pubtator/CDR_DevelopmentSet.PubTator.txt",
        "test": "pubtator/CDR_TestSet.PubTator.txt",
    },
    converter="lit.models.corpora.bc5cdr",
    notes="PubTator copy preferred over the IOB one: real character offsets over title+abstract",
)


@dataclass(slots=True)
class Abstract:
    """One PubTator document: its PMID, title, abstract and mention rows."""

    pmid: str
    title: str = ""
    abstract: str = ""
    mentions: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, text, type


def source_files(root: Path) -> list[Path]:
    """The three PubTator files."""
    return [root / FOLDER / rel for rel in SPEC.splits.values()]


def read_pubtator(path: Path) -> Iterator[Abstract]:
    """Documents of a PubTator file (blank-line separated; relation rows are skipped)."""
    doc: Abstract | None = None
    with open(require_file(path), encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if doc is not None:
                    yield doc
                doc = None
                continue
            if "|t|" in line[:20] or "|a|" in line[:20]:
                pmid, kind, body = line.split("|", 2)
                if doc is None:
                    doc = Abstract(pmid)
                if kind == "t":
                    doc.title = body
                else:
                    doc.abstract = body
                continue
            fields = line.split("\t")
            if doc is not None and len(fields) >= 5 and fields[1].isdigit():
                doc.mentions.append((int(fields[1]), int(fields[2]), fields[3], fields[4]))
    if doc is not None:
        yield doc


def load(root: Path, split: str) -> list[Example]:
    """All abstracts of ``split`` as Examples (ids ``bc5cdr/<split>/<pmid>``)."""
    examples = []
    for doc in read_pubtator(root / FOLDER / SPEC.splits[check_split(split)]):
        text = f"{doc.title} {doc.abstract}"
        entities = sorted((
            EntitySpan(start, end, SPEC.label_map[kind], kind)
            for start, end, _m, kind in doc.mentions
            if kind in SPEC.label_map
        ), key=lambda e: (e.start, e.end))
        tokens = tokenize_with_spans(text, [(e.start, e.end) for e in entities])
        examples.append(Example(id=f"bc5cdr/{split}/{doc.pmid}", corpus="bc5cdr", split=split,
                                text=text, tokens=tokens, entities=entities))
    return examples
