"""Person keys and name-order handling."""
from orchestration.domain.extract.mentions.names import preferred_full_name, split_name
from orchestration.domain.resolve.keys import person_key


def test_person_key_is_order_and_hyphen_free():
    assert person_key("Dukgeun Ahn") == person_key("Ahn Duk-geun") == person_key("Ahn Dukgeun") == "ahn dukgeun"
    assert person_key("Inkyo Cheong") == person_key("Cheong In-kyo")
    assert person_key("Ken Saito") == person_key("Saito Ken")
    assert person_key("Yoon Suk Yeol") == person_key("Yoon Suk-yeol")


def test_person_key_drops_initials_and_honorifics():
    assert person_key("Joseph R. Biden Jr.") == "biden joseph"
    assert person_key("Dr. Jane Doe") == "doe jane"


def test_split_name_detects_east_asian_family_name_in_either_order():
    assert split_name("Dukgeun Ahn") == ("Ahn", "Dukgeun")
    assert split_name("Ahn Duk-geun") == ("Ahn", "Duk-geun")
    assert split_name("Saito Ken") == ("Saito", "Ken")
    assert split_name("Wang Wentao") == ("Wang", "Wentao")
    assert split_name("Gina Raimondo") == ("Raimondo", "Gina")


def test_preferred_full_name():
    assert preferred_full_name(["Ahn Dukgeun", "Ahn Duk-geun"]) == "Ahn Duk-geun"


def _people(body, title="Press release"):
    from datetime import date

    from orchestration.domain.extract.mentions.entities import extract_entities
    from orchestration.domain.extract.models import Document

    res = extract_entities(Document("x", title, body, date(2024, 1, 2)))
    return {p.full_name: p for p in res.people}


def test_lower_case_titles_in_appositions():
    found = _people("Fred P. Hochberg, chairman and president of the Zeta Bank, and Hani Rashid Al Hamli, "
                    "secretary general of the Dubai Economic Council, signed the deal.")
    assert {"Fred P. Hochberg", "Hani Rashid Al Hamli"} <= set(found)
    assert found["Fred P. Hochberg"].title.startswith("chairman and president")


def test_name_after_a_title_complement_and_a_comma_and_honorifics():
    found = _people("The Minister of Trade and Industry, Mandisi Mpahlwa, met the Mauritian Minister of Foreign "
                    "Affairs, Regional Integration and International Trade, Dr Arvin Boolell, in Cape Town.")
    assert set(found) == {"Mandisi Mpahlwa", "Arvin Boolell"}


def test_titled_surname_alone_is_a_person_unless_someone_carries_it():
    found = _people("The plan advances President Obama's initiative. Commerce Secretary Gary Locke spoke; "
                    "later Secretary Locke left. The Commission, represented by Executive Vice-President "
                    "Timmermans and President von der Leyen, signed.")
    assert {"Obama", "Gary Locke", "Timmermans", "von der Leyen"} == set(found)


def test_headline_name_is_cut_to_the_body_person():
    found = _people("Commerce Secretary Gary Locke wrapped up the mission.",
                    title="With Final Stop in Indonesia, Secretary Locke Completes Clean Energy Trade Mission")
    assert set(found) == {"Gary Locke"}


def test_organization_does_not_swallow_the_person_after_it():
    found = _people("Remarks came from Acting Administrator for the U.S. Agency for International Development "
                    "(USAID) John Barsa, Head of Agency for the U.S. Trade and Development Agency Todd Abrajano, and "
                    "Executive Secretary for the United Nations Economic Commission for Africa Vera Songwe.")
    assert {"John Barsa", "Todd Abrajano", "Vera Songwe"} <= set(found)
