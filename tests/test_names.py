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
