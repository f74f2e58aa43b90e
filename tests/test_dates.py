from datetime import date

import pytest

from tui.core.dates import DateError, format_date, parse_date, to_iso


@pytest.mark.parametrize("text", ["01-03-2027", "1-3-2027", "01.03.2027", "01/03/2027", "2027-03-01", " 2027-3-1 "])
def test_danish_and_iso_forms_are_accepted(text):
    assert parse_date(text) == date(2027, 3, 1)


def test_stored_as_iso_and_shown_danish():
    assert to_iso("01-03-2027") == "2027-03-01"
    assert format_date("2027-03-01") == "01-03-2027"
    assert to_iso("") == ""


@pytest.mark.parametrize("text,fragment", [
    ("31-02-2027", "findes ikke i kalenderen"),
    ("i morgen", "er ikke en dato"),
    ("2027/13/45", "er ikke en dato"),
    ("32-01-2027", "findes ikke"),
])
def test_invalid_dates_get_a_danish_message(text, fragment):
    with pytest.raises(DateError) as err:
        parse_date(text)
    assert fragment in str(err.value)
    assert "dd-mm-åååå" in str(err.value) or "kalenderen" in str(err.value)
