from hypothesis import given
from hypothesis import strategies as st

from stdplus.search.text import highlight, index_text, query_terms, tokens


def test_chinese_runs_become_pairs_and_the_last_character():
    assert tokens("质量管理体系") == ["质量", "量管", "管理", "理体", "体系", "系"]


def test_chinese_runs_apart_by_a_space_are_bridged():
    # The first run's last character pairs with the next run's first: the title typed
    # without its space is a phrase of consecutive tokens.
    assert tokens("质量管理体系 要求") == [
        "质量",
        "量管",
        "管理",
        "理体",
        "体系",
        "系要",
        "要求",
        "求",
    ]
    # Not across other words or punctuation.
    assert tokens("体系 ISO 要求") == ["体系", "系", "iso", "要求", "求"]
    assert tokens("体系，要求") == ["体系", "系", "要求", "求"]


def test_latin_words_are_lower_cased_and_full_width_is_folded():
    assert tokens("ＧＢ／Ｔ 19001—2016 Quality-Management") == [
        "gb",
        "t",
        "19001",
        "2016",
        "quality",
        "management",
    ]


def test_query_terms():
    terms = query_terms("质量管理 QUALITY ip 水")
    assert [(t.tokens, t.prefix) for t in terms] == [
        (("质量", "量管", "管理"), False),
        (("quality",), True),
        (("ip",), False),  # too short to be a prefix
        (("水",), True),
    ]


def test_highlight_escapes_and_marks():
    terms = query_terms("manag <script>")
    html = highlight("Management <script>alert(1)</script>", terms)
    assert html == (
        "<mark>Management</mark> &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"
    )
    assert highlight("质量管理体系", query_terms("管理")) == "质量<mark>管理</mark>体系"


@given(st.text(max_size=80))
def test_any_text_tokenizes_and_highlights(text):
    index_text(text)
    query_terms(text)
    out = highlight(text, query_terms(text[:5]))
    assert "<script" not in out
