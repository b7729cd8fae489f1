"""The grounding validator: numbers and products must come from the tool results."""

from __future__ import annotations

from greencart.assistant.grounding import check_grounded

RESULTS = [
    {"tool": "search", "filters": {"max_price": 20.0}, "count": 2, "positions": [1, 2]},
    {"id": "GC-000001", "title": "Electric Kettle 1.7L", "price": 29.0, "currency": "GBP",
     "footprint_kg_co2e": 21.5, "footprint_low": 18.123, "footprint_high": 25.0, "footprint_method": "declared"},
    {"swap": {"id": "GC-000002", "title": "Recycled Kettle", "price": 24.0, "footprint_kg_co2e": 12.0},
     "saving_kg_co2e": 9.5},
]


def test_template_style_reply_is_grounded():
    reply = ("1. Electric Kettle 1.7L — £29.00, 21.50 kg CO2e (range 18.12–25.00, declared)\n"
             "Greener swap: Recycled Kettle (£24.00, 12.00 kg CO2e) saves 9.50 kg CO2e. Up to £20.00.")
    assert check_grounded(reply, RESULTS).ok


def test_invented_price_is_rejected():
    report = check_grounded("The Electric Kettle 1.7L is only £19.99 today!", RESULTS)
    assert not report.ok and report.unknown_numbers == ["19.99"]


def test_invented_saving_and_percent_are_rejected():
    assert not check_grounded("Switching saves 15 kg CO2e.", RESULTS).ok
    assert not check_grounded("That is 44% less carbon.", RESULTS).ok


def test_invented_product_id_and_title_are_rejected():
    report = check_grounded("Try GC-000777 instead.", RESULTS)
    assert not report.ok and "GC-000777" in report.unknown_products
    titles = ["Electric Kettle 1.7L", "Bamboo Toothbrush"]
    assert not check_grounded("Or the Bamboo Toothbrush.", RESULTS, catalogue_titles=titles).ok
    assert check_grounded("The Electric Kettle 1.7L it is.", RESULTS, catalogue_titles=titles).ok


def test_rounded_figures_and_unit_names_are_fine():
    assert check_grounded("About 22 kg CO₂e, £29.", RESULTS).ok


def test_every_template_reply_of_a_conversation_is_grounded(assistant):
    session = None
    for text in ("white t-shirt under 20", "cheaper", "t-shirts", "compare the first two", "the second",
                 "what's its footprint?", "greener", "50元以下的红色T恤", "比较前两个", "第一个多少钱", "kettles"):
        r = assistant.turn(text, session=session)
        session = r.session
        report = check_grounded(r.reply, r.tool_results)
        assert report.ok, (text, r.reply, report.reason())


def test_a_catalogue_title_inside_a_returned_title_is_not_another_product():
    results = [{"id": "GC-1", "title": "Corefit Recycled Polyester Long Resistance Bands, Blue", "price": 12.0}]
    titles = ["Corefit Recycled Polyester Long Resistance Bands, Blue",
              "Recycled Polyester Long Resistance Bands, Blue", "Bamboo Toothbrush"]
    reply = "1. Corefit Recycled Polyester Long Resistance Bands, Blue — £12.00"
    assert check_grounded(reply, results, catalogue_titles=titles).ok
    # named on its own, outside the returned title, it is still an unreturned product
    report = check_grounded(reply + "\nOr Recycled Polyester Long Resistance Bands, Blue.", results,
                            catalogue_titles=titles)
    assert not report.ok and report.unknown_products == ["Recycled Polyester Long Resistance Bands, Blue"]


def test_an_unreturned_title_around_a_returned_one_is_still_caught():
    results = [{"id": "GC-2", "title": "Resistance Bands, Blue", "price": 12.0}]
    titles = ["Resistance Bands, Blue", "Corefit Resistance Bands, Blue"]
    assert not check_grounded("Corefit Resistance Bands, Blue — £12.00", results, catalogue_titles=titles).ok
    assert check_grounded("Resistance Bands, Blue — £12.00", results, catalogue_titles=titles).ok
