"""Words live in `orchestration/knowledge/`, not in the code: no extraction module defines a literal list of
words (a set/list/tuple/dict literal of six or more strings, or a regex alternation of six or more words).
Grammar (the structure of a regex) stays in code; the words it alternates over come from the knowledge files
through `extract.knowledge`."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from orchestration.domain.extract import knowledge

EXTRACT = Path(__file__).resolve().parents[1] / "orchestration" / "domain" / "extract"
MAX_WORDS = 5
# a run of alternatives that are plain words ("launch|opening|completion"), optionally with spaces/escapes
_WORD = (r"(?:\\s\+|\\s\*|\s|-|'|’)?[A-Za-z][A-Za-z'’&-]*(?:s\?|\\w\*|\\\.\?)?"
         r"(?:(?:\\s\+|\\s\*|\s)[A-Za-z][A-Za-z'’&-]*(?:s\?|\\w\*|\\\.\?)?)*")
_ALTERNATION = re.compile(rf"{_WORD}(?:\|{_WORD}){{{MAX_WORDS},}}(?![\\\w])")
# the column lists of the tables that store.py writes are the schema, not words
NOT_WORDS = {"store.py"}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Dict):
        items = [k for k in node.keys if k is not None]
    elif isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        items = node.elts
    else:
        return []
    return [x.value for x in items if isinstance(x, ast.Constant) and isinstance(x.value, str)]


def _regex_text(node: ast.AST) -> str | None:
    """The text of a string constant, or of an f-string's constant parts joined."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "\x00" for v in node.values)
    return None


def word_lists(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    exports = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign)
               and any(isinstance(x, ast.Name) and x.id == "__all__" for x in n.targets)}
    for node in ast.walk(tree):
        if id(node) in exports:
            continue
        words = _strings(node)
        if len(words) > MAX_WORDS and sum(bool(re.fullmatch(r"[\w .'’&-]+", w)) for w in words) > MAX_WORDS:
            found.append(f"{path.name}:{node.lineno} literal of {len(words)} words: {words[:4]}...")
        text = _regex_text(node)
        if text and not isinstance(getattr(node, "parent", None), ast.JoinedStr):
            m = _ALTERNATION.search(text)
            if m:
                found.append(f"{path.name}:{node.lineno} alternation: {m.group(0)[:60]}...")
    return found


MODULES = sorted(p for p in EXTRACT.rglob("*.py") if p.name not in NOT_WORDS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(EXTRACT)))
def test_no_word_list_in_extraction_code(path):
    assert word_lists(path) == []


def test_the_scan_finds_a_word_list(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('A = {"one", "two", "three", "four", "five", "six"}\n'
                      'B = re.compile(r"\\b(?:launch|opening|completion|inauguration|groundbreaking|unveiling)\\b")\n'
                      'C = {"a", "b"}\nD = re.compile(r"(?:19|20)\\d\\d|[A-Z]{2,}")\n')
    assert [f.split(" ")[1] for f in word_lists(sample)] == ["literal", "alternation:"]


def test_the_loader_reads_every_knowledge_file():
    for path in sorted(knowledge.KNOWLEDGE_DIR.iterdir()):
        if path.suffix == ".yaml":
            assert isinstance(knowledge.knowledge_file(path.name), dict), path.name
    assert knowledge.organization_records() and knowledge.title_organizations()


def test_the_loader_helpers():
    assert "Inc" in knowledge.word_set("text.yaml", "token_abbreviations")
    assert "inc" in knowledge.word_set("text.yaml", "token_abbreviations", lower=True)
    assert knowledge.word_list("event_types.yaml", "meeting_family")[0] == "meeting"
    assert knowledge.word_map("event_types.yaml", "ordinals")["twelfth"] == 12
    assert knowledge.word_set("text.yaml", "no_such_key") == frozenset()
    assert re.fullmatch(knowledge.alternation("event_types.yaml", "meeting_family"), "dialogue")
    # one parse per file: the same object every time
    assert knowledge.knowledge_file("people.yaml") is knowledge.knowledge_file("people.yaml")


@pytest.mark.parametrize("key", ["core_titles", "appositive_titles", "splitting_titles", "bare_subject_titles",
                                 "titled_name_titles", "visitor_titles", "titled_name_modifiers"])
def test_title_lists_are_made_of_the_title_words_of_people_yaml(key):
    """The title lists a rule needs are named subsets of people.yaml, not lists of their own."""
    words = knowledge.word_set("people.yaml", "title_words") | knowledge.word_set("people.yaml", "title_modifiers")
    assert [t for t in knowledge.word_list("people.yaml", key) if not set(t.split()) <= words] == []
