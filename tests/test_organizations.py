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


def _orgs(body):
    from datetime import date

    from orchestration.domain.extract.mentions.entities import extract_entities
    from orchestration.domain.extract.models import Document

    res = extract_entities(Document("x", "Press release", body, date(2024, 1, 2)))
    mentioned = {m.entity_id for m in res.mentions if m.entity_type == "organization"}
    return {o.name: o for o in res.organizations if o.organization_id in mentioned}


def test_legal_forms_after_a_comma_and_subsidiaries():
    found = _orgs("The deal joins Zorblax America, LLC and Quintex Co., Ltd., a subsidiary of Velmora Data "
                  "Services PTE Ltd.")
    assert {"Zorblax America, LLC", "Quintex Co., Ltd.", "Velmora Data Services PTE Ltd."} <= set(found)
    assert "LLC" not in found and "Ltd" not in found


def test_parenthesised_short_name_acronym_before_title_and_joined_names():
    found = _orgs("Fred Doe, chairman of the Export-Import Bank of Freedonia (Ex-Im Bank), and the Dubai "
                  "Trade Council (DTC) met. DTC and Ex-Im Bank anticipate more deals. Later, AfDB President "
                  "Adesina spoke.")
    bank = found["Export-Import Bank of Freedonia"]
    assert "Ex-Im Bank" in bank.aliases
    assert "AfDB" in found
    assert not any(" and " in n for n in found)


def test_organizations_by_verbs_and_forms():
    found = _orgs("It said Zentrix of Austria plans to inject $120 million, Denmark's Ventora -- the world's "
                  "largest turbine company -- will spend $50 million, and Korlin Semichem which planned to invest "
                  "RM499 million. Astrovia announced an investment of EUR 365 million. The Defense Acquisition "
                  "Program Administration (DAPA) and the Southern African Development Community (SADC) joined.")
    assert {"Zentrix", "Ventora", "Korlin Semichem", "Astrovia", "Defense Acquisition Program Administration",
            "Southern African Development Community"} <= set(found)


def test_defined_non_organizations_and_occurrences():
    found = _orgs("Ministers debated Economic Partnership Agreements (EPA) and U.S. economic development "
                  "organizations (EDOs). The 19th Joint Ministerial Commission and the Tenth Clean Energy "
                  "Ministerial met. Ministers signed with the Ministry of Commerce and Industry and NRW.")
    assert not any("Environmental" in n or n in ("EDOs", "EPA") for n in found)
    assert not any("Commission" in n or "Clean Energy" in n for n in found)
    assert "Ministry of Commerce and Industry" in found


def test_names_inside_titles_and_industry_bodies():
    found = _orgs("Remarks came from Zelko Challenge Corporation Chief Executive Officer Sean Doe, Head of Agency "
                  "for the U.S. Trade and Development Agency Todd Roe, and industry bodies like CXI and FIXCI.")
    assert {"Zelko Challenge Corporation", "U.S. Trade and Development Agency", "CXI", "FIXCI"} <= set(found)
    assert not any(n.startswith("Agency for") for n in found)
