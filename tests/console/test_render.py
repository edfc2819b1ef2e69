"""Hostile mention text stays inert: shown as plain text only, no Markdown/HTML element
carries it, and the only link is our own, to the platform's https host."""

from datetime import UTC, datetime

import pytest

from console.render import clean, excerpt, safe_permalink
from store.cases import Actor, load_targets
from store.db import write_session
from store.intake import open_case
from store.tables import Mention
from tests.console.conftest import no_exception

HOSTILE = [
    "<script>alert('x')</script>",  # HTML
    "<img src=x onerror=alert(1)>",
    "![img](http://x.example/track.png)",  # Markdown image
    "[klik](javascript:alert(1))",  # Markdown link with a script URL
    "**bold** _miring_ # judul",  # emphasis and a heading
    "$$\\frac{1}{0}$$ and $x^2$",  # LaTeX
    ":smile: :red[merah] :material/home:",  # emoji shortcodes and Streamlit directives
    "lihat https://phish.example/login dan www.contoh.example",  # raw URLs (autolinks)
]


def hostile_case(text: str, author: str, permalink: str | None, platform: str = "twitter"):
    with write_session() as s:
        mention = Mention(platform=platform, external_id="h1", text=text, author_handle=author,
                          permalink=permalink, created_at=datetime(2026, 11, 28, 1, 0, tzinfo=UTC))
        s.add(mention)
        s.flush()
        return open_case(s, mention, None, load_targets(s), Actor(None, "system:test"))


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_mention_is_plain_text_on_the_case_page(app, make_user, text):
    staff = make_user("kominfo1", "komunikasi")
    case = hostile_case(text, author="**[admin](javascript:x)**", permalink="javascript:alert(1)")
    at = app(staff, "console/case.py", case=case.id)
    no_exception(at)
    assert text in [el.value for el in at.text]  # shown verbatim, as plain text
    assert any("**[admin](javascript:x)**" in el.value for el in at.text)  # the author too
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        for el in getattr(at, kind):
            assert text not in str(el.value), (kind, el.value)
            assert "javascript:" not in str(el.value), (kind, el.value)
    assert not at.html and not at.image and not at.latex
    assert not at.get("link_button")  # a javascript: permalink gives no link at all
    # Button and widget labels render Markdown; none may carry mention text.
    for widget in (*at.button, *at.selectbox, *at.multiselect, *at.text_input, *at.checkbox):
        assert text not in str(widget.label)


def test_hostile_text_is_a_plain_cell_in_the_inbox(app, make_user):
    staff = make_user("kominfo1", "komunikasi")
    hostile_case("<script>x</script> ![i](http://x) [a](javascript:b)", author="<b>x</b>", permalink=None)
    at = app(staff, "console/triage.py")
    row = at.dataframe[0].value.iloc[0]
    assert row["Isi"] == "<script>x</script> ![i](http://x) [a](javascript:b)"
    for el in (*at.markdown, *at.caption):
        assert "script" not in str(el.value)


def test_only_our_link_to_the_platform_is_shown(app, make_user):
    staff = make_user("kominfo1", "komunikasi")
    case = hostile_case("jalan rusak", author="warga", permalink="https://x.com/warga/status/123")
    at = app(staff, "console/case.py", case=case.id)
    [link] = at.get("link_button")
    assert link.proto.url == "https://x.com/warga/status/123"


@pytest.mark.parametrize("platform, url, expected", [
    ("twitter", "https://x.com/a/status/1", "https://x.com/a/status/1"),  # the platform's own host
    ("facebook", "https://www.facebook.com/123/posts/4", "https://www.facebook.com/123/posts/4"),
    ("twitter", "http://x.com/a/status/1", None),  # not https
    ("twitter", "javascript:alert(1)", None),  # script URL
    ("twitter", "https://x.com.evil.example/a", None),  # look-alike host
    ("twitter", "https://evil.example/?x.com", None),  # host only in the query
    ("twitter", "https://x.com@evil.example/", None),  # userinfo trick
    ("facebook", "https://x.com/a/status/1", None),  # another platform's host
    ("sms", "https://x.com/a", None),  # SMS has no permalink
    ("twitter", "https://x.com:8443/a", None),  # odd port
    ("twitter", None, None),
])
def test_safe_permalink(platform, url, expected):
    assert safe_permalink(platform, url) == expected


def test_clean_drops_control_and_bidi_characters_and_excerpt_is_one_line():
    assert clean("abc\u202egnp.exe\x07\nbaris") == "abcgnp.exe\nbaris"
    assert excerpt("satu\n\n dua   tiga", 100) == "satu dua tiga"
    assert excerpt("x" * 200, 10) == "x" * 9 + "…"
