"""Organization keys, reference lookup, acronyms and head-word grammar."""
from orchestration.domain.organizations import (
    acronym_definitions,
    grammar_candidates,
    lookup_reference,
    organization_key,
    pattern_candidates,
)


def test_organization_key():
    assert organization_key("The Ministry of Trade, Industry & Energy") == "ministry of trade industry and energy"
    assert organization_key("U.S. Department of Commerce") == "us department of commerce"


def test_reference_aliases_and_misspellings():
    assert lookup_reference("Synopsis").name == "Synopsys"
    assert lookup_reference("Solvay").name == "Syensqo"
    assert lookup_reference("KOTRA").organization_type == "government"
    assert lookup_reference("ministry of economy, trade, and industry").acronym == "METI"


def test_acronym_definitions_both_ways():
    text = "the Vietnam Energy Institute (VEI) and KSIA (Korea Semiconductor Industry Association) met"
    defs = {d[4]: text[d[0]:d[1]] for d in acronym_definitions(text)}
    assert defs == {"VEI": "Vietnam Energy Institute", "KSIA": "Korea Semiconductor Industry Association"}


def names(text):
    return [c.text for c in grammar_candidates(text)]


def test_grammar_finds_unknown_organizations():
    text = ("Officials of the Thai Board of Investment, Hanoi University of Science and Technology and "
            "Mekong Battery Materials met the Jakarta Chamber of Industry.")
    found = names(text)
    assert "Hanoi University of Science and Technology" in found
    assert "Mekong Battery Materials" in found
    assert "Jakarta Chamber of Industry" in found


def test_grammar_rejects_events_programmes_venues():
    text = ("The Korea-Poland Energy Forum, the Clean Hydrogen Supply Chain Working Group, the Lotte Hotel, "
            "the Carbon Free Energy (CFE) Initiative and the Seoul Convention Center.")
    assert names(text) == []


def test_patterns_around_names():
    text = ("Absolics, an affiliate of the Korea-based SKC, and leading materials company Veltrix attended. "
            "Three U.S. companies (Orion Power, Delta Wind, Corvex) pledged. Formerly known as Alpha, Beta Labs "
            "invested.")
    cands, aliases = pattern_candidates(text)
    found = {c.text for c in cands}
    assert {"Absolics", "SKC", "Veltrix", "Orion Power", "Delta Wind", "Corvex", "Beta Labs"} <= found
    assert [(text[a[0]:a[1]], text[b[0]:b[1]]) for a, b in aliases] == [("Alpha", "Beta Labs")]
