"""Country mentions and codes."""
from orchestration.domain.extract.mentions.countries import country_code, find_countries


def codes(text):
    return [(c.text, c.code) for c in find_countries(text)]


def test_country_code_short_forms_and_adjectives():
    assert country_code("U.S.") == "USA"
    assert country_code("ROK") == "KOR"
    assert country_code("Korean") == "KOR"
    assert country_code("Vietnamese") == "VNM"
    assert country_code("North Korea") == "PRK"
    assert country_code("Germany") == "DEU"
    assert country_code("Fraunhofer") is None


def test_compounds_are_split():
    assert [c for _, c in codes("the Korea-U.S.-Japan trilateral")] == ["KOR", "USA", "JPN"]
    assert [c for _, c in codes("Japan-Republic of Korea-United States meeting")] == ["JPN", "KOR", "USA"]
    assert [c for _, c in codes("U.S.–Korea collaboration, Korea-Japan-China talks")] == ["USA", "KOR", "KOR", "JPN",
                                                                                          "CHN"]


def test_ambiguous_words():
    assert codes("a facility in Georgia") == []
    assert codes("Georgia Institute of Technology") == []
    assert codes("basketball star Michael Jordan") == []
    assert [c for _, c in codes("Korea and Jordan signed")] == ["KOR", "JOR"]
    assert codes("plants in New Mexico serving Latin American markets") == []
    assert [c for _, c in codes("North Korea and South Korea")] == ["PRK", "KOR"]


def test_other_partners():
    found = {c for _, c in codes("Saudi, Indian, Polish, British and Indonesian officials visited the UAE")}
    assert found == {"SAU", "IND", "POL", "GBR", "IDN", "ARE"}


def test_currency_designators_are_not_country_mentions():
    from orchestration.domain.extract.mentions.countries import find_countries

    assert find_countries("investments worth US$2.1 billion") == []
    assert find_countries("bonds in U.S. dollars and Australian dollars") == []
    assert [c.code for c in find_countries("a US$ 300 million plant in the U.S.")] == ["USA"]


def test_cities_of_the_world_map_to_their_country():
    from orchestration.domain.extract.mentions.places import city_country, find_cities

    assert city_country("Kuala Lumpur") == ("Kuala Lumpur", "MYS")
    assert city_country("nur-sultan")[1] == "KAZ"  # a former name, from GeoNames alternate names
    assert city_country("Abuja")[1] == "NGA" and city_country("Doha")[1] == "QAT"
    assert city_country("Commerce") is None  # a word of press releases, listed in knowledge/places.yaml
    text = "Locke visited Jakarta, Indonesia and then Cape Town; the energy ministry met in Hanoi."
    assert [(c, iso) for _, _, c, iso in find_cities(text)] == [("Jakarta", "IDN"), ("Cape Town", "ZAF"),
                                                               ("Hanoi", "VNM")]
    # a city is a place, not a country mention
    assert codes("Talks in Kuala Lumpur") == []


def test_a_city_owns_its_name_and_events_find_cities_of_the_world():
    """A city's own name outranks another city's alternate name; event places come from GeoNames, the
    knowledge file adds only venue areas and house spellings."""
    from orchestration.domain.extract.facts.events.names import find_location
    from orchestration.domain.extract.mentions.places import city_country

    assert city_country("Islamabad") == ("Islamabad", "PAK")
    assert find_location("the forum held in Nairobi on Monday") == ("Nairobi", "KEN")
    assert find_location("talks at Camp David") == ("Camp David", "USA")
    assert find_location("a mission to Washington, D.C. and Lagos") == ("Washington", "USA")
