"""Every command line reads a flag's value the same way, and refuses a bad one in one line
naming the flag, with exit status 2."""

import argparse

import pytest

from cli_support.parsing import (
    OneLineParser,
    index_list,
    integer,
    non_negative_int,
    number,
    positive_int,
    positive_int_list,
)


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (positive_int, "64", 64),
        (positive_int, " 64 ", 64),
        (positive_int, "+64", 64),
        (non_negative_int, "0", 0),
        (integer, "-3", -3),
        (number, "1e-3", 0.001),
        (positive_int_list, "40,200", [40, 200]),
        (index_list, "0,3", [0, 3]),
    ],
)
def test_a_value_is_read_as_python_reads_the_number(kind, text, value):
    assert kind(text) == value


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (positive_int, "0", "expected a positive integer, got '0'"),
        (positive_int, "-2", "expected a positive integer, got '-2'"),
        (positive_int, "2.5", "expected a positive integer, got '2.5'"),
        (positive_int, "²", "expected a positive integer, got '²'"),
        (non_negative_int, "-1", "expected a non-negative integer, got '-1'"),
        (integer, "many", "expected an integer, got 'many'"),
        (number, "fast", "expected a number, got 'fast'"),
        (positive_int_list, "40,,200", "expected comma-separated positive integers, got '40,,200'"),
        (positive_int_list, "40,0", "expected comma-separated positive integers, got '40,0'"),
        (index_list, "0,-1", "expected comma-separated integers from 0 up, got '0,-1'"),
        (index_list, "x", "expected comma-separated integers from 0 up, got 'x'"),
    ],
)
def test_a_bad_value_says_what_was_expected_and_what_came(kind, text, expected):
    with pytest.raises(argparse.ArgumentTypeError) as error:
        kind(text)
    assert str(error.value) == expected


def test_a_bad_flag_is_one_line_naming_it_with_status_2(capsys):
    parser = OneLineParser(prog="python -m tool")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run").add_argument("--units", type=positive_int)
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["run", "--units", "0"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == (
        "python -m tool run: error: argument --units: expected a positive integer, got '0'\n"
    )
