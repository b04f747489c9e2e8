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
