"""A command's CSV text is the same for the same numbers, with the columns asked for."""

from cli_support.csv_rows import csv_text


def test_csv_text_keeps_the_named_columns_in_order_and_rounds_floats():
    rows = [{"b": 1 / 3, "a": "x", "left out": 1}, {"a": "y"}]
    assert csv_text(rows, ["a", "b"]) == "a,b\nx,0.333333\ny,\n"


def test_without_columns_the_first_rows_keys_are_the_columns():
    assert csv_text([{"n": 2, "p": 0.5}, {"p": 1e-9, "n": 3}]) == "n,p\n2,0.5\n3,1e-09\n"
