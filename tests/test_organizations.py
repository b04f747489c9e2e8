"""Organization keys, reference lookup, acronyms and head-word grammar."""
from orchestration.domain.extract.mentions.organizations import (
    acronym_definitions,
    grammar_candidates,
    lookup_reference,
    pattern_candidates,
)
from orchestration.domain.resolve.keys import organization_key


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


def test_acronym_long_form_may_contain_in():
    from orchestration.domain.extract.mentions.organizations import acronym_definitions
    text = "the Italian Chamber of Commerce in Korea (ICCK) said"
    ((ls, le, _, _, acr),) = acronym_definitions(text)
    assert (text[ls:le], acr) == ("Italian Chamber of Commerce in Korea", "ICCK")


def test_defined_name_type():
    from orchestration.domain.extract.mentions.organizations import defined_name_type
    assert defined_name_type("NWF", ["National", "Wealth", "Fund"]) == "other"
    assert defined_name_type("KMMB", ["Kappa", "Motor", "Manufacturing", "Brazil"]) == "company"
    assert defined_name_type("EV", ["Electric", "Vehicle"]) is None
    assert defined_name_type("IRA", ["Inflation", "Reduction", "Act"]) is None


def test_lookup_reference_in_country():
    from orchestration.domain.extract.mentions.organizations import lookup_reference_in_country
    assert lookup_reference_in_country("Ministry of Investment", "SAU").name == "Ministry of Investment of Saudi Arabia"
    assert lookup_reference_in_country("Ministry of Investment", "IDN").name == "Ministry of Investment of Indonesia"
    assert lookup_reference_in_country("Ministry of Investment", None) is None


def test_plural_company_noun_introduces_two_names():
    from orchestration.domain.extract.mentions.organizations import pattern_candidates
    cands, _ = pattern_candidates("the Ruritanian utilities Zeta Grid and Omicron Energetics (OE) signed")
    assert {c.text for c in cands} >= {"Zeta Grid", "Omicron Energetics"}


def test_reference_adds_country_ministries_and_former_names():
    assert lookup_reference("NRCan").name == "Natural Resources Canada"
    assert lookup_reference("Czech Ministry of Industry and Trade").country_code == "CZE"
    assert lookup_reference("POSCO Chemical").name == "POSCO Future M"
    assert lookup_reference("KEPCO E&C").name == "KEPCO Engineering & Construction"
    assert lookup_reference("AmCham Philippines").country_code == "PHL"


def test_person_before_of_is_not_part_of_an_organization():
    got = names("talks with Secretary Jane Roe of the Freedonian Department of Trade and Industry on Monday")
    assert not any(n.startswith("Jane") for n in got)
