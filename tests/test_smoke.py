from engine.themes import DEFAULT_FUNCTIONAL, THEMES


def test_nine_themes_five_functional():
    assert len(THEMES) == 9
    assert DEFAULT_FUNCTIONAL == ("FIN", "RH", "CPAJ", "SI", "BML")
