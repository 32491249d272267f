"""The language of a text (extractor/language.py): English, German or mixed, by its prose."""

from extractor.language import detect_language


def test_english_and_german_requests_are_told_apart():
    assert detect_language("Could you book me a single room in Munich from 3 to 5 May? "
                           "Breakfast would be great, thanks.") == "en"
    assert detect_language("Könnten Sie mir bitte ein Einzelzimmer in München vom 3. bis "
                           "5. Mai buchen? Frühstück wäre schön, danke.") == "de"


def test_a_text_half_in_each_language_is_mixed():
    text = ("Hi Sarah, could you please book the hotel for the workshop next week?\n"
            "Die Kollegen aus dem Büro in Wien kommen auch mit und brauchen zwei Zimmer.")
    assert detect_language(text) == "mixed"


def test_a_text_without_letters_has_no_language():
    assert detect_language("12.05.2027 – 14.05.2027 / 2 / 150,00") is None


def test_a_line_of_names_says_nothing_of_the_language():
    # names from anywhere under an English request leave it English (its slashed dates are
    # then read month first)
    text = ("hey team - need rooms for the roadshow: San Diego 6/3-6/5, Phoenix 6/5-6/7, "
            "Las Vegas 6/7-6/9. 3 kings each stop.\nnames: Chiara Lindqvist, Ingrid Okonkwo, "
            "Henrik Novák")
    assert detect_language(text) == "en"
