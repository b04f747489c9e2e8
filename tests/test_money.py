from orchestration.domain.extract.mentions.money import find_money


def one(text):
    found = find_money(text)
    assert len(found) == 1, found
    return found[0]


def test_two_currencies_are_one_amount():
    m = one("investments totaling USD 1.2 billion (KRW 1.6 trillion) in Busan")
    assert (m.amount, m.currency, m.alt_amount, m.alt_currency) == (1.2e9, "USD", 1.6e12, "KRW")
    assert not m.is_approximate


def test_symbols_scales_and_approximation():
    m = one("Having spent more than an estimated €450 mn on the plant")
    assert (m.amount, m.currency, m.is_approximate) == (450e6, "EUR", True)
    assert one("(app. KRW 30 bln)").amount == 30e9
    assert one("a budget of ¥12 billion").currency == "JPY"
    assert one("RMB 2.5 billion").currency == "CNY"
    assert one("US$ 75 million").amount == 75e6
    assert one("nearly 800 billion won").amount == 800e9


def test_suffix_words_and_non_money():
    assert one("300 million yen (about $2 million)").alt_currency == "USD"
    assert find_money("a 3.2GW offshore wind farm and 45 project tasks") == []
    assert find_money("In 2014 won the award") == []


def test_currencies_of_the_world():
    cases = {
        "RM74.9 million": (74.9e6, "MYR"), "66.9 billion baht": (66.9e9, "THB"), "Rp 5 trillion": (5e12, "IDR"),
        "2 billion rand": (2e9, "ZAR"), "SAR 4 billion": (4e9, "SAR"), "10 million Saudi Riyals": (10e6, "SAR"),
        "AED 500 million": (500e6, "AED"), "£400 million": (400e6, "GBP"), "Rs. 500 crore": (5e9, "INR"),
        "AUD 10 million": (10e6, "AUD"), "₦2 billion": (2e9, "NGN"), "KES 3 billion": (3e9, "KES"),
        "5 billion Kenyan shillings": (5e9, "KES"), "PLN 40 million": (40e6, "PLN"), "R$ 3 billion": (3e9, "BRL"),
    }
    for text, want in cases.items():
        m = one(text)
        assert (round(m.amount), m.currency) == (round(want[0]), want[1]), text


def test_codes_and_letter_symbols_are_case_sensitive():
    assert find_money("all 5 firms and rm 5 things") == []
    assert find_money("the FIRM 5 plan") == []  # a letter symbol inside a word
    assert one("ca. USD 2 Billion").amount == 2e9


def test_every_currency_read_has_an_iso_code_and_an_fx_rate():
    import csv
    from pathlib import Path

    from orchestration.domain.extract.mentions.money import iso_currency_names, known_currencies

    seed = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "fx_rates_monthly.csv"
    with seed.open() as fh:
        rated = {r["currency"] for r in csv.DictReader(fh) if float(r["units_per_usd"]) > 0}
    codes = set(known_currencies())
    assert len(codes) >= 50
    assert codes <= set(iso_currency_names())
    assert codes == rated


def test_fx_seed_accepted_values_list_every_currency_read():
    from pathlib import Path

    import yaml

    from orchestration.domain.extract.mentions.money import known_currencies

    spec = yaml.safe_load((Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "seeds.yml").read_text())
    fx = next(s for s in spec["seeds"] if s["name"] == "fx_rates_monthly")
    col = next(c for c in fx["columns"] if c["name"] == "currency")
    accepted = next(t["accepted_values"]["arguments"]["values"] for t in col["data_tests"]
                    if isinstance(t, dict) and "accepted_values" in t)
    assert sorted(accepted) == sorted(known_currencies())
