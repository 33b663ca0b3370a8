"""HTML → main text: blocks, boilerplate, selectors, ignore rules, and hostile input."""

from __future__ import annotations

import pytest
from conftest import PAGES, press_release
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

import watcher.furniture as furniture_stage
from watcher.errors import ExtractError
from watcher.extract import (drop_reading_times, drop_relative_stamps, drop_rights_notices, drop_server_diagnostics,
                             extract_main_text, extract_page, extract_text, opening, repair_mojibake,
                             selector_problem)


def test_extract_text_gives_one_line_per_block_without_page_furniture() -> None:
    text = extract_text(press_release())

    lines = text.splitlines()
    assert lines[0] == "Northfield to host new data campus"
    assert "The government will invest £500 million in a data campus at Northfield." in lines
    assert "2025-26 | £120 million" in lines
    assert "The campus is on a former power station site." in lines
    for furniture in ("cookies", "GOV.UK", "Menu", "Related content", "Open Government Licence", "dataLayer"):
        assert furniture not in text


def page(name: str) -> str:
    return (PAGES / name).read_text()


def test_a_statistics_page_keeps_its_headings_and_every_figure_in_the_table() -> None:
    lines = extract_text(page("statistics.html")).splitlines()

    assert "Revenue and employment by company size" in lines
    assert "Company size | AI revenue | Employment | Change on 2024" in lines
    assert "Large | £18.4bn | 58,100 | +12.5%" in lines
    assert "Medium | £2.9bn | 14,300 | -3.1%" in lines
    assert "There were 5,862 AI companies active in the UK in 2025, up 85% since 2022." in lines
    assert not any("Open Government Licence" in line or "AI sector study 2024" in line for line in lines)


def test_a_company_blog_post_without_semantic_markup_is_found() -> None:
    text = extract_text(page("company-blog.html"))

    assert text.startswith("Expanding our London office")
    assert "We will open applications for 40 research roles this autumn" in text
    for furniture in ("Share on X", "Recent posts", "Our approach to safety", "Careers", "Privacy"):
        assert furniture not in text


def test_a_cookie_wall_is_not_read_as_the_content() -> None:
    text = extract_text(page("cookie-wall.html"))

    assert "£45 million" in text and "up to £7.5m" in text
    assert "partners" not in text and "Accept all" not in text


def test_an_old_table_layout_gives_the_text_cell_not_the_navigation_column_beside_it() -> None:
    lines = extract_text(page("old-layout.html")).splitlines()

    assert lines[0] == "FOR IMMEDIATE RELEASE"
    assert "SECRETARY ANNOUNCES $2.5 MILLION FOR RURAL WATER SYSTEMS" in lines
    assert any("$50,000 to $400,000, and each community pays 10 percent" in line for line in lines)
    assert "Adams | $400,000" in lines and "Benton | $125,500" in lines
    for furniture in ("Grants and Loans", "Visitors today", "Privacy", "Home"):
        assert not any(furniture in line for line in lines)


def test_an_old_table_layout_centred_in_a_one_cell_table_gives_the_same_text() -> None:
    # The wrapping cell's text is the whole page: counted as well as the cells in it, it won with the column.
    html = page("old-layout.html")
    centred = html.replace("<BODY BGCOLOR=\"#FFFFFF\" LINK=\"#003366\">", "<BODY><CENTER><TABLE WIDTH=\"780\"><TR><TD>")

    assert centred != html
    assert extract_text(centred) == extract_text(html)


def test_an_old_layouts_narrow_side_column_is_left_out_however_much_it_says() -> None:
    hours = ("<BR>Opening hours: Monday to Friday, 9am to 5pm, except public holidays, when the office and"
             " the information line are closed; a recorded message gives the next opening day.") * 3
    html = page("old-layout.html").replace("<BR>Visitors online: 3", f"{hours}<BR>Visitors online: 3")

    lines = extract_text(html).splitlines()

    assert lines[0] == "FOR IMMEDIATE RELEASE" and "Adams | $400,000" in lines
    assert not any("Opening hours" in line or "Grants and Loans" in line for line in lines)


def test_a_table_of_figures_in_narrow_cells_beside_the_text_is_kept() -> None:
    # Data cells are set narrow too: only a layout column is judged a side column by its width.
    rows = "".join(f'<tr><td width="220">Capital budget for programme {number}, all regions</td>'
                   f'<td width="90">£{number}.{number}bn</td></tr>' for number in range(1, 9))
    html = ("<html><body><div class='wrap'><div class='box'>"
            f"{'<p>The department published its capital budgets for the coming year today, as below.</p>' * 4}"
            f"</div><table>{rows}</table></div></body></html>")

    lines = extract_text(html).splitlines()

    assert "Capital budget for programme 1, all regions | £1.1bn" in lines
    assert "Capital budget for programme 8, all regions | £8.8bn" in lines


DOCUMENTS = ('<header><a href="/">Ministry</a><nav><ul><li><a href="/a">About</a></li><li><a href="/n">News</a>'
             "</li></ul></nav></header><h1>Publications</h1><ul>"
             '<li><a href="/p/1.pdf">Annual report 2024 (PDF, 2.1 MB)</a></li>'
             '<li><a href="/p/2.pdf">Budget statement 2025 (PDF, 880 KB)</a></li>'
             '<li><a href="/p/3.pdf">Workforce statistics, March 2025 (PDF, 300 KB)</a></li></ul>'
             '<footer><a href="/privacy">Privacy</a> © Ministry 2025</footer>')
DOCUMENT_LINES = ["Publications", "Annual report 2024 (PDF, 2.1 MB)", "Budget statement 2025 (PDF, 880 KB)",
                  "Workforce statistics, March 2025 (PDF, 300 KB)"]


def test_a_page_without_running_text_is_its_list_without_the_menus_and_footer() -> None:
    assert extract_text(f"<html><body>{DOCUMENTS}</body></html>").splitlines() == DOCUMENT_LINES


def test_a_page_without_running_text_wrapped_in_one_form_keeps_it() -> None:
    # ASP.NET wraps the whole page in a <form>: a form is furniture, but not the one holding the page.
    html = f'<html><body><form id="aspnetForm" method="post" action="./publications.aspx">{DOCUMENTS}</form></body></html>'

    assert extract_text(html).splitlines() == DOCUMENT_LINES


def test_preformatted_text_keeps_its_lines() -> None:
    html = ("<html><body><pre>\n        NOTICE OF TARIFF CHANGE\n\nEffective 1 July 2004 the rate for Schedule A rises\n"
            "from $0.0842 to $0.0911 per kWh (+8.2%).\n\nSchedule    Old rate   New rate\n"
            "A           0.0842     0.0911\n<b>B</b>           0.0710     0.0744\n</pre></body></html>")

    assert extract_text(html).splitlines() == [
        "NOTICE OF TARIFF CHANGE", "Effective 1 July 2004 the rate for Schedule A rises",
        "from $0.0842 to $0.0911 per kWh (+8.2%).", "Schedule Old rate New rate", "A 0.0842 0.0911", "B 0.0710 0.0744"]


@pytest.mark.parametrize("inline", ['font face="Arial" size="2"', 'span class="bodytext"', "b"])
def test_text_set_in_an_inline_element_between_line_breaks_is_the_content(inline: str) -> None:
    # The <div> holds a heading, so it is no leaf; its text is in an inline element, none of it the div's own.
    tag = inline.split()[0]
    html = ('<html><body><div id="left"><a href="/">Home</a><br><a href="/news">News</a></div><div id="content">'
            f"<h2>Council tax to rise by 2.99%</h2><{inline}>The council has agreed a rise "
            "of 2.99% for 2005/06, adding £31.20 a year to a Band D bill.<br><br>The budget of £98.4 million was "
            f'approved by 32 votes to 17.</{tag}></div><div id="bottom"><p>District Council, 1 High Street, '
            'Northtown NT1 1AA</p><a href="/access">Accessibility</a></div></body></html>')

    lines = extract_text(html).splitlines()

    assert lines[0] == "Council tax to rise by 2.99%"
    assert "The budget of £98.4 million was approved by 32 votes to 17." in lines
    assert not any("High Street" in line or "News" in line for line in lines)


def test_preformatted_text_nested_in_preformatted_text_keeps_every_line_once() -> None:
    # The inner <pre>s are read with the outer one, not walked again each (quadratic on a hostile page).
    html = "".join(f"<pre>rate {level}: £{level}.50\nnote {level}\n" for level in range(300)) + "</pre>" * 300

    lines = extract_text(html).splitlines()

    assert lines == [line for level in range(300) for line in (f"rate {level}: £{level}.50", f"note {level}")]


def test_a_page_whose_scripts_write_its_text_is_an_error_that_says_so() -> None:
    html = ('<html><body><div id="root"></div><script src="/static/js/main.4f2a.js"></script>'
            "<noscript>You need to enable JavaScript to run this app.</noscript></body></html>")

    with pytest.raises(ExtractError, match="only 1 script: its text is probably written by JavaScript"):
        extract_text(html)


def test_a_page_showing_its_text_in_an_iframe_is_an_error_naming_it_not_the_trackers() -> None:
    html = ('<html><body><noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-X"></iframe>'
            '</noscript><iframe src="/stats/2025/table.html" width="800"></iframe></body></html>')

    with pytest.raises(ExtractError, match=r"so watch the one holding the text instead \(/stats/2025/table.html\)$"):
        extract_text(html)


def test_noframes_is_never_read_as_text() -> None:
    # A browser with frames (every browser) does not show it, and the parser keeps its markup as text.
    html = ('<html><body><p>The grant is £2.5 million this year, the department said today.</p>'
            '<noframes>Without frames: <a href="main.htm">main page</a></noframes></body></html>')

    assert extract_text(html) == "The grant is £2.5 million this year, the department said today."


def teaser(number: int) -> str:
    return (f'<div class="teaser"><h3><a href="/deal/{number}">Deal {number}: headphones at half price</a></h3>'
            f"<p>{'A long teaser paragraph about a discount, with commas, prices, and more words. ' * 2}</p></div>")


def test_a_sidebar_holding_more_text_than_the_article_is_left_out() -> None:
    sidebar = "".join(teaser(number) for number in range(8))
    html = ("<html><body><div class='layout'><div class='story'>"
            "<p>The council will spend £3.2 million on flood defences, it said on Tuesday.</p>"
            f"{'<p>The plan was approved after a consultation that ran for three months last year.</p>' * 8}"
            "<p>Work starts in May, and the river walls will be raised by 40 cm, the engineers said.</p></div>"
            f"<aside class='col widget-area'>{sidebar}</aside></div></body></html>")

    text = extract_text(html)

    assert "£3.2 million" in text and "40 cm" in text
    assert "headphones" not in text and "teaser" not in text


def test_an_article_split_into_two_chunks_keeps_both() -> None:
    chunk = "<p>{}, which the department confirmed in a statement, giving the figures in full.</p>"
    html = ("<html><body><div class='chunks'>"
            f"<div class='grid'><div class='body'>{chunk.format('Funding rose to £12m') * 6}</div>"
            "<div class='rail'>Advertisement</div></div>"
            f"<div class='grid'><div class='body'>{chunk.format('Staff numbers fell by 4.5%') * 3}</div></div>"
            "</div><footer><p>Copyright 2026 The Newspaper, all rights reserved, every one of them.</p></footer>"
            "</body></html>")

    text = extract_text(html)

    assert "£12m" in text and "4.5%" in text
    assert "Copyright" not in text


def test_a_news_index_keeps_every_item_and_drops_the_furniture() -> None:
    lines = extract_text(page("news-index.html")).splitlines()

    assert lines[0] == "News and communications"
    for number in range(1, 11):
        assert f"Minister announces £{number}0 million for project {number}" in lines
        assert f"Published {number} March 2026" in lines
    for furniture in ("GOV.UK", "Topics", "Home", "Search", "Help", "Crown copyright"):
        assert not any(furniture in line for line in lines)


def test_extract_text_applies_select_and_remove() -> None:
    text = extract_text(press_release(), select=".govuk-govspeak", remove=("table",))

    assert text.startswith("The campus will create 200 jobs")
    assert "£120 million" not in text
    assert "Northfield to host" not in text


def test_extract_text_with_select_matching_nothing_raises() -> None:
    with pytest.raises(ExtractError, match="matched nothing"):
        extract_text(press_release(), select="#missing")


def test_extract_text_takes_ignored_patterns_out_of_lines() -> None:
    text = extract_text(press_release(), ignore=(r"Last updated \d+ \w+ \d{4}\.",))

    assert "Last updated" not in text
    assert "Published 1 July 2025." in text


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<script>var x = 1;</script>", "<p>  </p>"],
                         ids=["empty", "blank", "no-body", "script-only", "whitespace"])
def test_extract_text_of_a_page_without_text_raises(html: str) -> None:
    with pytest.raises(ExtractError):
        extract_text(html)


def test_extract_text_survives_deep_nesting() -> None:
    html = "<div>" * 5_000 + "<p>deep £5</p>" + "</div>" * 5_000  # far past Python's recursion limit

    assert extract_text(html) == "deep £5"


def test_selector_problem_names_a_bad_selector() -> None:
    assert selector_problem("main > .content") is None
    assert "CSS selector" in (selector_problem("div >") or "")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_extract_text_of_any_text_returns_text_or_raises_extract_error(html: str) -> None:
    try:
        assert isinstance(extract_text(html), str)
    except ExtractError:
        pass


# Pages built from the tags, attributes and words the extractor treats specially, nested at random.
_TAGS = st.sampled_from(["html", "body", "main", "article", "header", "nav", "aside", "section", "div", "p", "h1", "h2",
                         "ul", "li", "table", "tr", "td", "span", "a", "time", "figure", "figcaption", "noscript", "form"])
_ATTRIBUTES = st.sampled_from(["", " hidden", " style='display:none'", " aria-hidden='true'", " class='comments'",
                               " id='respond'", " class='post-views'", " class='story-text'", " class='caption'",
                               " class='related'", " class='lead'", " class='sidebar'", " class='content'"])
_WORDS = st.sampled_from(["", "Updated 3 hours ago", "£2.5 billion", "Read more", "Related articles", "Foto: AFP",
                          "The council will spend money on repairs, roads and parks this year, it said.", "vor 5 Stunden",
                          "Budget 2025: what it means", "Post Views: 12"])
_PAGES = st.recursive(_WORDS, lambda inner: st.builds(
    lambda tag, attributes, children: f"<{tag}{attributes}>{''.join(children)}</{tag}>",
    _TAGS, _ATTRIBUTES, st.lists(inner, max_size=4)), max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(_PAGES, st.sampled_from(["", "Budget 2025: what it means", "Related articles | Site"]))
def test_extraction_of_any_page_of_the_tags_it_treats_specially_gives_text_or_extract_error(
        body: str, title: str) -> None:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    for rules in ({}, {"remove": ("body",)}, {"select": "main"}):
        try:
            assert isinstance(extract_text(html, **rules), str)
        except ExtractError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "é", " ", "\n", "\t", "\u00a0", "\u2003", "9"])), st.integers(1, 40))
def test_the_opening_of_a_text_is_its_first_characters_whitespace_normalised(text: str, size: int) -> None:
    assert opening(text, size) == " ".join(text.split())[:size]


@settings(max_examples=200, deadline=None)
@given(_PAGES, st.text())
def test_lexbor_text_content_reads_exactly_what_the_text_walk_reads(body: str, noise: str) -> None:
    # The extractor reads text with text_lexbor(), lexbor's own textContent, for speed: it must stay the
    # very string text(deep=True) gives, on any element of any page, or extracted text would change.
    tree = LexborHTMLParser(f"<html><body>{body}{noise}<template><p>{noise}</p></template></body></html>")
    for node in tree.css("*"):
        assert node.text_lexbor() == node.text(deep=True)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>&"), min_size=1))
def test_script_and_style_text_never_appears_in_the_output(secret: str) -> None:
    marker = f"SECRET{secret}SECRET"
    html = f"<main><p>Visible</p><script>{marker}</script><style>{marker}</style><noscript>{marker}</noscript></main>"

    assert "SECRET" not in extract_text(html)


NOISE = st.fixed_dictionaries({
    "stamp": st.text(alphabet="0123456789:", min_size=1, max_size=12),
    "token": st.text(alphabet="abcdef0123456789", min_size=8, max_size=40),
    "cookie": st.sampled_from(["We use cookies.", "Accept all cookies?", "", "Cookies help us improve GOV.UK."]),
    "related": st.permutations(["Budget 2025", "Spending review", "AI Growth Zones", "Compute strategy"]),
    "script": st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>&"), max_size=60),
    "age": st.builds(str.format, st.sampled_from(["Updated {} minutes ago", "vor {} Stunden in Aktuelles", "{}h ago",
                                                  "Jane Doe | Publicado hace {} horas", "il y a {} heures", "{} ore fa"]),
                     st.integers(min_value=1, max_value=59)),
})


def noisy_page(noise: dict[str, object]) -> str:
    related = "".join(f'<li><a href="/n/{n}">{title}</a></li>' for n, title in enumerate(noise["related"]))  # type: ignore[arg-type]
    return (f'<html><head><script>var t = "{noise["script"]}";</script></head><body>'
            f'<div class="cookie-banner"><p>{noise["cookie"]}</p></div>'
            f'<nav class="site-menu"><a href="/">Home</a><a href="/news">News</a></nav>'
            f'<main><h1>Northfield to host new data campus</h1><div class="info">{noise["age"]}</div>'
            f'<p>The government will invest £500 million in a data campus, creating 200 jobs by 2027.</p>'
            f'<p>Construction starts in 2025-26, with the first halls open by 3 October 2027.</p>'
            f'<form><input type="hidden" name="csrf" value="{noise["token"]}"></form></main>'
            f'<aside class="related"><h2>Related content</h2><ul>{related}</ul></aside>'
            f'<footer><p>Page generated {noise["stamp"]}</p></footer></body></html>')


@settings(max_examples=60, deadline=None)
@given(NOISE, NOISE)
def test_text_is_identical_when_only_noise_differs(first: dict[str, object], second: dict[str, object]) -> None:
    assert extract_text(noisy_page(first)) == extract_text(noisy_page(second))


def test_noisy_page_keeps_its_content_and_drops_the_noise() -> None:
    text = extract_text(noisy_page({"stamp": "09:00", "token": "abc", "cookie": "We use cookies.",
                                    "related": ["Budget 2025"], "script": "x", "age": "Updated 5 minutes ago"}))

    assert text.splitlines() == ["Northfield to host new data campus",
                                 "The government will invest £500 million in a data campus, creating 200 jobs by 2027.",
                                 "Construction starts in 2025-26, with the first halls open by 3 October 2027."]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_extract_text_of_any_bytes_decoded_returns_text_or_raises_extract_error(raw: bytes) -> None:
    from watcher.fetch import decode_body
    try:
        assert isinstance(extract_text(decode_body(raw)[0]), str)
    except ExtractError:
        pass


def test_an_enormous_flat_page_is_extracted() -> None:
    html = "<main>" + "".join(f"<p>Paragraph {n} costs £{n} million.</p>" for n in range(20_000)) + "</main>"

    lines = extract_text(html).splitlines()

    assert len(lines) == 20_000 and lines[-1] == "Paragraph 19999 costs £19999 million."


@pytest.mark.parametrize("levels", [40, 100])
def test_cells_nested_in_cells_each_with_text_of_its_own_keep_all_of_it(levels: int) -> None:
    # Each cell wraps the next and holds text of its own: taking the inner cells' text out of a
    # wrapping cell must leave its own, and past a bound the cells are not taken apart at all.
    sentence = "Level {} of the report puts the cost at £{} million, with commas, and more words. "
    html = "<html><body>" + "".join(f"<table><tr><td>{sentence.format(level, level) * 3}"
                                    for level in range(levels)) + "</td></tr></table>" * levels + "</body></html>"

    text = extract_text(html)

    assert "Level 0 of the report puts the cost at £0 million" in text
    assert f"Level {levels - 1} of the report puts the cost at £{levels - 1} million" in text


def test_a_read_more_box_opening_part_of_the_text_takes_only_itself_away() -> None:
    paragraph = "<p>Le budget passe de 1,2 milliard à {} milliard d’euros, selon le ministère, cette année.</p>"
    chunks = "".join(f"<div class='part'>{paragraph.format(figure) * 8}</div>" for figure in ("1,3", "1,4", "1,5"))
    html = ("<html><body><div class='page'><div class='texte'>"
            "<div class='part'><q class='aside-box'>Read more <a href='/a'>Un autre article</a></q>"
            f"{paragraph.format('1,6') * 8}</div>{chunks}"
            "<div class='plus'><h3>Dans la même rubrique</h3><ul>"
            f"{''.join(f'<li>Le résumé d’un autre article, numéro {n}, en quelques mots.</li>' for n in range(4))}</ul></div>"
            "</div></div></body></html>")

    text = extract_text(html)

    for figure in ("1,3", "1,4", "1,5", "1,6"):
        assert f"1,2 milliard à {figure} milliard" in text
    assert "même rubrique" not in text and "numéro" not in text


def test_a_photo_gallery_inside_the_article_is_left_out() -> None:
    caption = ("<figure><img src='/p{0}.jpg' alt=''><figcaption>{0} of 3: Shoppers look at extension cords at a "
               "hardware store on Tuesday, Nov. 19, 2019, ahead of the planned power shutdown in the county. "
               "(Photo: The Union via AP)</figcaption></figure>")
    html = ("<html><body><article><h1>Power cut planned</h1>"
            f"<div class='gallery' data-total='3'>{''.join(caption.format(n) for n in range(1, 4))}</div>"
            f"{'<p>The utility said 150,000 customers would lose power on Wednesday, for up to 48 hours.</p>' * 4}"
            "</article></body></html>")

    text = extract_text(html)

    assert "150,000 customers" in text and "Power cut planned" in text
    assert "Shoppers" not in text


def test_bylines_and_publication_stamps_are_left_out() -> None:
    html = ("<html><body><article><h1>Reservoir levels fall</h1>"
            "<div class='article-byline'><span>By Jane Smith</span>"
            "<span class='publish-date'>Updated 5:27 am GMT, Wednesday, 20 November 2026</span></div>"
            f"{'<p>Reservoirs in the region are at 61.5% of capacity, down from 74% a year ago, the agency said.</p>' * 4}"
            "</article></body></html>")

    text = extract_text(html)

    assert text.startswith("Reservoir levels fall") and "61.5%" in text
    assert "Jane Smith" not in text and "Updated" not in text


def test_the_wrappers_of_the_best_container_stay_whatever_their_class() -> None:
    paragraph = "<p>The trust spent £4.1m on agency staff last year, the report said, against a budget of £2m.</p>"
    other = "<div><p>Opening hours over the holiday period change, and the car park closes at 6pm each day.</p></div>"
    html = ("<html><body><div class='wrap'><div class='page-content has-sidebar'>"
            f"<div class='story'><h1>Agency spending</h1>{paragraph * 3}</div></div>{other * 9}</div></body></html>")

    text = extract_text(html)

    assert text.startswith("Agency spending") and "£4.1m" in text


def test_the_standfirst_in_a_header_before_the_body_is_kept() -> None:
    html = ("<html><body><main><div class='container'><header><nav class='breadcrumb'><a href='/'>Home</a></nav>"
            "<h1>Grants for rural broadband</h1>"
            "<p class='text-xl'>The department will fund 1,200 rural connections, at a cost of £8.4 million.</p>"
            "</header></div><div class='container'><div class='article-body'>"
            f"{'<p>Councils can bid from March, and the first connections are due next winter, officials said.</p>' * 5}"
            "</div></div></main></body></html>")

    text = extract_text(html)

    assert "1,200 rural connections, at a cost of £8.4 million" in text
    assert "bid from March" in text and "Home" not in text


def test_common_blog_share_and_like_widgets_are_left_out() -> None:
    widgets = ("<div class='sharedaddy sd-sharing-enabled'><h3>Share this:</h3><ul><li><a href='/t'>Twitter</a></li></ul>"
               "<div class='sharedaddy sd-like'>Like this: Loading…</div></div>"
               "<div class='shariff'><ul><li><a href='/f'>Teilen</a></li></ul></div>"
               "<div class='copyright'>Photo: Jane Smith, licensed under CC BY-SA 4.0, from the agency archive</div>")
    html = ("<html><body><div class='post'><div class='entry-content'>"
            f"{'<p>Our allotment grew 42 kg of potatoes this year, up from 30 kg, thanks to the new beds.</p>' * 4}"
            f"{widgets}</div></div></body></html>")

    text = extract_text(html)

    assert "42 kg" in text
    for widget in ("Share this", "Loading", "Teilen", "CC BY-SA"):
        assert widget not in text


def article_body(content: str) -> str:
    """A page whose article body holds content."""
    return f"<html><body><div class='article-body'>{content}</div></body></html>"


def test_the_label_of_a_dropped_link_list_goes_with_it_unless_it_holds_a_figure() -> None:
    links = "".join(f"<li><a href='/t/{n}'>Thema {n}</a></li>" for n in "abcdef")
    html = ("<html><body><div class='artikel'>"
            f"{'<p>Die Stadt investiert 2,5 Millionen Euro in neue Radwege, teilte das Bauamt am Montag mit.</p>' * 4}"
            f"<h3>Schlagworte</h3><ul>{links}</ul>"
            f"<h3>Haushalt 2026</h3><ul>{links}</ul></div></body></html>")

    text = extract_text(html)

    assert "2,5 Millionen Euro" in text and "Haushalt 2026" in text
    assert "Schlagworte" not in text and "Thema" not in text


def test_links_set_as_paragraphs_after_a_furniture_label_go_with_it_until_the_text_resumes() -> None:
    teasers = "".join(f"<p><a href='/story/{n}'>Council story number {n} from last week</a></p>" for n in "abc")
    html = article_body(
        f"{'<p>The council will spend £3.4 million on new school roofs, the cabinet member said.</p>' * 4}"
        f"<p>You may also like...</p>{teasers}"
        "<p>Work starts in May 2026, and <a href='/roofs'>the list of schools</a> is online.</p>")

    text = extract_text(html)

    assert "£3.4 million" in text and "Work starts in May 2026, and the list of schools is online." in text
    assert "also like" not in text and "Council story" not in text


def test_a_hover_card_of_a_persons_latest_stories_inside_a_sentence_is_left_out() -> None:
    stories = "".join(f"<a href='/s/{n}'>Latest story {n} about the senator and the budget vote</a> " for n in "abc")
    html = article_body(
        "<p>A man admitted threatening Sen. <span class='rollover'><a href='/people/jo-lee'>Jo Lee</a>"
        f"<span class='card'><span><img src='/jo.jpg' alt=''>{stories}<a href='/people/jo-lee'>MORE</a></span>"
        "</span></span> (D-Ore.), prosecutors said on Monday.</p>"
        f"{'<p>He faces up to 10 years in prison and a fine of $250,000, according to the court filing.</p>' * 3}"
        "<p>Sources: <span><a href='/a'>court filing</a>, <a href='/b'>police report</a> and "
        "<a href='/c'>statement</a></span>.</p>")

    text = extract_text(html)

    assert "A man admitted threatening Sen. Jo Lee (D-Ore.), prosecutors said on Monday." in text
    assert "Latest story" not in text and "MORE" not in text
    assert "Sources: court filing, police report and statement." in text


def test_a_post_quoted_from_a_social_network_stays_in_the_story_though_its_wrapper_is_named_social() -> None:
    tweet = ("<div class='social-media-embed'><blockquote class='twitter-tweet'><p>The state spent $449,000 on "
             "this campaign: <a href='https://t.co/x'>https://t.co/x</a></p>— Jo Lee (@jolee) "
             "<a href='https://twitter.com/jolee/status/1'>November 18, 2019</a></blockquote></div>")
    html = article_body(
        f"{'<p>The new anti-drug slogan drew a lot of attention on social media on Monday, officials said.</p>' * 3}"
        f"{tweet}<p>The governor defended the campaign in a statement later that day.</p>"
        "<div class='social-share'><a href='/s'>Share on Facebook</a> <a href='/t'>Share on X</a></div>")

    text = extract_text(html)

    assert "The state spent $449,000 on this campaign: https://t.co/x" in text
    assert "— Jo Lee (@jolee) November 18, 2019" in text
    assert "Share on" not in text


def test_a_section_header_holding_only_its_heading_stays_and_one_over_a_dropped_link_grid_goes() -> None:
    def section(title: str, point: str) -> str:
        return (f"<li class='fold'><header class='fold_head'><h3>{title}</h3></header>"
                f"<div class='fold_body'><ul><li>{point}</li></ul></div></li>")

    links = "".join(f"<a href='/c/{n}'><strong>Category {n}</strong></a>" for n in range(6))
    html = ("<html><body><article class='article'>"
            f"{'<p>Buying a car outright, with a loan or on a lease costs different amounts over 4 years.</p>' * 4}"
            f"<ul class='accordion'>{section('Advantages of a car loan:', 'A rate fixed at 5.9% for the whole term.')}"
            f"{section('Disadvantages of a car loan:', 'You pay interest of about £1,400 on £12,000.')}</ul>"
            f"<section class='grid'><header class='column-header'><h4>Latest headlines</h4></header>"
            f"<div class='buckets'>{links}</div></section></article></body></html>")

    lines = extract_text(html).splitlines()

    assert "Advantages of a car loan:" in lines and "Disadvantages of a car loan:" in lines
    assert "You pay interest of about £1,400 on £12,000." in lines
    assert "Latest headlines" not in lines and not any("Category" in line for line in lines)


def test_a_longer_label_goes_when_it_is_the_phrase_alone_or_a_heading_its_list_left_behind() -> None:
    teasers = "".join(f"<div class='teaser'><a href='/t/{n}'><img src='/{n}.jpg' alt=''></a></div>" for n in range(3))
    html = article_body(
        f"{'<p>The club lost the final 3-1, and its coach said the team had missed its captain badly.</p>' * 4}"
        "<p>Das Thema könnte dich auch interessieren:</p>"
        f"<div class='row'><h2>Die meistgelesenen Artikel bei SWR.de/Sport</h2>{teasers}</div>"
        "<h2>Comments from the coach after the 3-1 defeat in the final</h2>")

    lines = extract_text(html).splitlines()

    assert "Das Thema könnte dich auch interessieren:" not in lines
    assert "Die meistgelesenen Artikel bei SWR.de/Sport" not in lines
    assert "Comments from the coach after the 3-1 defeat in the final" in lines  # it holds a figure


def test_photo_credits_are_left_out() -> None:
    html = ("<html><body><div class='article-content'>"
            "<p class='image-annotation'><em class='copyright'>Bundesregierung/Steffen Kugler</em></p>"
            "<figure><img src='/a.jpg' alt=''><cite>Thinkstock</cite></figure>"
            f"{'<p>The cabinet agreed a budget of €4.2 billion for rail, the spokesperson said on Wednesday.</p>' * 4}"
            "</div></body></html>")

    text = extract_text(html)

    assert "€4.2 billion" in text
    assert "Kugler" not in text and "Thinkstock" not in text


def test_author_boxes_post_navigation_and_crumbs_are_left_out() -> None:
    html = ("<html><body><div class='post'><div class='entry-crumbs'><span>Home</span> <span>News</span></div>"
            "<div class='entry-content'>"
            f"{'<p>The library will open on Sundays from June, after a grant of £40,000 from the council.</p>' * 4}"
            "</div><div class='entry-author'><p>Sam writes about local services and the people who run them.</p></div>"
            "<div class='post-navigation'><p>Previous post: the new bus timetable explained</p></div>"
            "</div></body></html>")

    text = extract_text(html)

    assert "£40,000" in text
    for furniture in ("Home", "Sam writes", "Previous post"):
        assert furniture not in text


@pytest.mark.parametrize("name", ["class='grid-container next-prev'", "class='prev-next'", "class='older-article'",
                                  "class='newer-story'", "class='nextstory'"])
def test_links_to_the_next_and_previous_story_are_left_out(name: str) -> None:
    html = article_body(
        f"{'<p>The museum will close for 8 weeks from March while its roof is repaired, at a cost of £1.2m.</p>' * 4}"
        f"<div {name}><p><a href='/n'>Next story</a></p><h3>Council approves the new cycle lanes</h3>"
        "<p>The lanes on the high street will be finished by the autumn, the council said.</p></div>")

    text = extract_text(html)

    assert "£1.2m" in text and "Next story" not in text and "cycle lanes" not in text


def card(number: int) -> str:
    return (f"<article class='post'><h3><a href='/p/{number}'>Story {number}</a></h3>"
            f"<p>{'A summary of another story, with a clause, another clause, and an end. ' * 3}</p></article>")


def test_a_list_of_other_posts_outscoring_the_post_does_not_take_its_place() -> None:
    html = ("<html><body><div class='columns'><article class='post'><h1>Only those who love themselves</h1>"
            "<p>To live a real experience of love is one of the great pleasures of life, and it asks for "
            "courage, patience, and 3 things above all: honesty, care and time.</p></article>"
            f"<article class='post'><h3>You might enjoy</h3><div>{''.join(card(n) for n in range(6))}</div></article>"
            "</div></body></html>")

    text = extract_text(html)

    assert text.startswith("Only those who love themselves") and "3 things above all" in text
    assert "Story" not in text and "another story" not in text


def test_an_index_page_keeps_its_list_of_posts_beside_a_featured_post() -> None:
    featured = ("<article class='post featured'><h2><a href='/f'>Featured: the spending review</a></h2>"
                f"<p>{'The review sets budgets for every department, with totals, forecasts, and plans. ' * 4}</p>"
                "</article>")
    html = (f"<html><body><main><h1>News</h1>{featured}<div class='grid'>"
            f"{''.join(card(n) for n in range(10))}</div></main></body></html>")

    text = extract_text(html)

    assert "Featured: the spending review" in text
    assert all(f"Story {n}" in text for n in range(10))


def test_an_article_header_holding_the_standfirst_stays() -> None:
    html = ("<html><body><article><header><h1>Flood defences approved</h1>"
            "<p>The scheme will protect 3,400 homes along the river, the agency said on Friday.</p></header>"
            "<div class='body'>"
            f"{'<p>Work on the walls starts in spring, and the path along the bank will close for a year.</p>' * 5}"
            "</div></article></body></html>")

    text = extract_text(html)

    assert text.startswith("Flood defences approved") and "3,400 homes" in text


def test_hyphenation_hints_and_zero_width_characters_change_nothing() -> None:
    plain = "<html><body><main><h1>Budget</h1><p>The council will spend £1,250,000 on repairs during 2026.</p></main></body></html>"
    hinted = plain.replace("council", "coun&shy;cil").replace("repairs", "re\u00adpairs\u200b").replace("<p>", "<p>\ufeff")

    assert extract_text(hinted) == extract_text(plain)
    assert "£1,250,000 on repairs" in extract_text(hinted)


def test_a_blogger_post_shipped_in_a_script_template_is_read_from_its_noscript_copy() -> None:
    body = "".join(f"<p>Paragraph {n} of the post: we are changing how the service checks each download.</p>"
                   for n in range(1, 5))
    html = ("<html><body><noscript><p>Please enable JavaScript to see comments on this blog at all.</p></noscript>"
            "<div class='post'><h2 class='title'>Safer downloads</h2><div class='post-body'>"
            f"<script type='text/template'>{body}</script><noscript>{body}</noscript></div></div></body></html>")

    lines = extract_text(html).splitlines()

    assert lines[0] == "Safer downloads"
    assert [line for line in lines if line.startswith("Paragraph")] == [
        f"Paragraph {n} of the post: we are changing how the service checks each download." for n in range(1, 5)]
    assert not any("JavaScript" in line for line in lines)


def story(number: int, paragraphs: int) -> str:
    return (f"<div class='scroll'><article><header><h1>Story {number}</h1>"
            f"<p class='lead'>The standfirst of story {number}, which sums it up in a sentence or two.</p></header>"
            "<div class='text'>"
            f"{f'<p>Story {number} goes on, paragraph after paragraph, with commas, facts, and quotes.</p>' * paragraphs}"
            "</div></article></div>")


def test_the_header_of_another_story_before_the_content_is_not_taken_for_its_standfirst() -> None:
    text = extract_text(f"<html><body><main>{story(1, 3)}{story(2, 20)}</main></body></html>")

    assert "The standfirst of story 2" in text
    assert "Story 1" not in text


def test_ruby_readings_are_not_read_into_the_text() -> None:
    html = ("<html><body><main><h1><ruby>法律<rt>ほうりつ</rt></ruby>ができる</h1>"
            "<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもへの<ruby>体罰<rt>たいばつ</rt></ruby>を"
            "<ruby>禁止<rt>きんし</rt></ruby>する<ruby>法律<rt>ほうりつ</rt></ruby>ができて、2020年4月から始まります。</p>"
            "</main></body></html>")

    assert extract_text(html).splitlines() == ["法律ができる", "子どもへの体罰を禁止する法律ができて、2020年4月から始まります。"]


def test_a_post_keeps_its_headline_when_its_header_holds_only_a_byline_besides() -> None:
    html = ("<html><body><main><article><header class='entry-header'><h1 class='entry-title'>Budget cut by 5%</h1>"
            "<div class='entry-meta'><a href='/2026/05/03/'>3 May 2026</a> <a href='/author/ann'>Ann Lee</a></div>"
            "<ul class='share'><li><a href='/s/x'>Share on X</a></li></ul></header><div class='entry-content'>"
            f"{'<p>The council cut its budget for the year, with savings in roads, parks, and libraries.</p>' * 5}"
            "</div></article></main></body></html>")

    lines = extract_text(html).splitlines()

    assert lines[0] == "Budget cut by 5%"
    assert not any("Ann Lee" in line or "Share" in line or "May 2026" in line for line in lines)


def test_a_post_that_is_a_list_of_links_keeps_them() -> None:
    items = "".join(f"<li><p><a href='/doc/{n}'>Consultation response {n}: rail fares from 2027</a></p>"
                    f"<p>via <a href='https://example.org'>example.org</a></p></li>" for n in range(1, 7))
    html = ("<html><body><nav><a href='/'>Home</a></nav><article><header><h1>Reading list, 23 January</h1></header>"
            f"<div class='entry-content'><ul class='linkroll'>{items}</ul></div></article>"
            "<aside><ul><li><a href='/a'>Archive</a></li><li><a href='/b'>About</a></li></ul></aside></body></html>")

    lines = extract_text(html).splitlines()

    assert lines[0] == "Reading list, 23 January"
    assert [line for line in lines if line.startswith("Consultation")] == [
        f"Consultation response {n}: rail fares from 2027" for n in range(1, 7)]
    assert "Archive" not in lines


def paper() -> str:
    references = "".join(f"<li><p>Author{n} A, Other B, Third C. A study of drug reactions, part {n}. "
                         f"J Clin Res. 20{n:02d};{n}(2):10–{n + 20}.</p></li>" for n in range(1, 41))
    return ("<html><body><main><article><h1>Drug reactions and the rheumatologist</h1><div class='body'>"
            "<section><div id='abstract'><h2>Abstract</h2><div><p>We review the drugs used in rheumatology that "
            "cause the syndrome, and how often: 1 in 1,000 to 1 in 10,000 exposures.</p><p>Allopurinol, "
            "sulfasalazine and minocycline pose the highest risk, followed by dapsone.</p></div></div></section>"
            "<section><div class='section'><h2>References</h2><div class='content'><div>"
            f"<ol class='c-article-references'>{references}</ol></div></div></div></section>"
            "</div></article></main></body></html>")


def test_a_paper_page_keeps_its_abstract_and_its_references() -> None:
    lines = extract_text(paper()).splitlines()

    assert lines[0] == "Drug reactions and the rheumatologist"
    assert any("1 in 1,000 to 1 in 10,000 exposures" in line for line in lines)
    assert any(line.startswith("Author40 A, Other B") for line in lines)


def test_a_block_whose_class_leads_with_furniture_is_furniture_though_it_names_stories() -> None:
    related = "".join(f"<div><a href='/s/{n}'>Another story {n}</a><p>Teaser text of another story, with a few "
                      "more words about what happened there.</p></div>" for n in range(1, 4))
    html = ("<html><body><article class='story-body'><h1>Port reopens</h1>"
            f"{'<p>The port reopened on Monday after 12 days, the authority said, with 40 ships waiting.</p>' * 8}"
            f"<div class='related-stories story-module'>{related}</div>"
            "</article></body></html>")

    text = extract_text(html)

    assert "40 ships waiting" in text
    assert "Another story" not in text and "Teaser text" not in text


def test_a_gov_uk_notification_banner_in_the_content_stays_and_the_cookie_banner_goes() -> None:
    html = ("<html><body><div class='govuk-cookie-banner'><p>Cookies on GOV.UK: we use some essential cookies to "
            "make this service work.</p></div><main class='govuk-main-wrapper'><h1>Energy bills support</h1>"
            "<div class='govuk-notification-banner' role='region'><div class='govuk-notification-banner__header'>"
            "<h2 class='govuk-notification-banner__title'>Important</h2></div>"
            "<div class='govuk-notification-banner__content'><p class='govuk-notification-banner__heading'>"
            "The scheme closed on 31 March 2025. Payments of £400 are no longer made.</p></div></div>"
            f"{'<p>The scheme gave households a discount on their electricity bills, paid in six instalments.</p>' * 5}"
            "</main></body></html>")

    text = extract_text(html)

    assert "The scheme closed on 31 March 2025. Payments of £400 are no longer made." in text.splitlines()
    assert "Cookies" not in text


RADWEGE = "<p>Die Stadt baut bis 2027 zwölf Kilometer neue Radwege, sagte die Bürgermeisterin am Montag.</p>"


def radwege(after: str, before: str = "", paragraphs: int = 6) -> str:
    """A short German news story with a block before and after its paragraphs."""
    return f"<html><body><article><h1>Neue Radwege</h1>{before}{RADWEGE * paragraphs}{after}</article></body></html>"


@pytest.mark.parametrize("heading", ["Empfohlene Beiträge", "Neueste Artikel", "Zum Weiterlesen:", "Mehr aus dem Channel",
                                     "Artículos relacionados", "Le puede interesar", "Similar recipes", "Keine Kommentare",
                                     "Lea:", "Mire:"])
def test_headings_of_related_lists_in_other_languages_go_with_their_lists(heading: str) -> None:
    cards = "".join(f"<div><a href='/p/{n}'>Ein anderer Beitrag {n}</a><p>Worum es in dem anderen Beitrag geht, "
                    "in einem Satz mit einigen Wörtern.</p></div>" for n in range(3))
    html = radwege(f"<div class='box'><h3>{heading}</h3>{cards}</div>", paragraphs=8)

    text = extract_text(html)

    assert "zwölf Kilometer" in text
    assert heading not in text and "anderer Beitrag" not in text and "Worum es" not in text


def test_a_sidebar_column_of_a_table_layout_is_left_out() -> None:
    chunk = "<p>The ministry published the figures on Tuesday, with 1,204 new cases, and the trend is falling.</p>" * 3
    teasers = "".join(f"<div><a href='/n/{n}'>Other news {n}</a> A teaser of other news, in a sentence or so.</div>"
                      for n in range(4))
    html = ("<html><body><table><tr><td><div class='article_body'>" + chunk + "</div></td>"
            "<td><div class='article_body'>" + chunk + "</div></td>"
            f"<td class='sidebar'><div class='block'><b>Latest news</b>{teasers}</div></td></tr></table></body></html>")

    text = extract_text(html)

    assert text.count("1,204 new cases") == 6
    assert "Other news" not in text and "Latest news" not in text


@pytest.mark.parametrize("name", ["BorlabsCookie", "CybotCookiebotDialog", "cmp-consentmanager"])
def test_cookie_and_consent_blocks_go_whatever_their_class_is_joined_to(name: str) -> None:
    html = radwege(f"<div class='{name}'><p>Klicken Sie auf den Button, um den Inhalt von www.komoot.de zu laden, "
                   "und akzeptieren Sie dessen Datenschutzerklärung.</p></div>")

    text = extract_text(html)

    assert "zwölf Kilometer" in text and "komoot" not in text


@pytest.mark.parametrize("name", ["author-card", "author-info", "c-letters-cta", "affiliate-text", "postmetadata alt",
                                  "entry-utility"])
def test_author_cards_calls_to_action_and_post_metadata_are_left_out(name: str) -> None:
    html = radwege(f"<div class='{name}'><p>Dieser Beitrag wurde am Mittwoch veröffentlicht, und wir freuen uns "
                   "über Ihre Meinung zu diesem Thema.</p></div>")

    text = extract_text(html)

    assert "zwölf Kilometer" in text and "Mittwoch" not in text


@pytest.mark.parametrize("credit", ["Foto: Jane Doe/AFP", "(Credit: Clayton Aldern / Grist)", "Titelbild: picture-alliance",
                                    "Photograph by Ed Marshall"])
def test_photo_credit_lines_are_left_out_but_a_caption_with_a_figure_stays(credit: str) -> None:
    html = radwege("<p><em>Foto: Radweg an der Hauptstraße, 2,5 Meter breit</em></p>", before=f"<p><em>{credit}</em></p>")

    lines = extract_text(html).splitlines()

    assert credit not in lines and "Foto: Radweg an der Hauptstraße, 2,5 Meter breit" in lines


def test_text_set_straight_into_a_section_between_line_breaks_is_found() -> None:
    body = "<br><br>".join("Das Handbuch erscheint in der 5. Auflage, mit 1.250 Seiten, und kostet 89 Euro." for _ in range(6))
    html = ("<html><body><section id='main'><article><h2>Rezension: Internetrecht</h2>"
            f"<section class='body'>{body}</section></article>"
            "<section class='related'><h2>Ähnliche Artikel</h2><ul><li><a href='/a'>Ein Artikel</a></li></ul></section>"
            "<div class='comments-form'><form><dl><dt>Name</dt><dd>Bitte geben Sie hier Ihren Namen und Ihre "
            "E-Mail-Adresse ein, sie wird nicht veröffentlicht.</dd></dl></form></div></section></body></html>")

    text = extract_text(html)

    assert text.count("1.250 Seiten") == 6
    assert "Ähnliche Artikel" not in text and "E-Mail-Adresse" not in text


def test_a_headline_and_standfirst_four_levels_up_in_a_page_builder_layout_are_kept() -> None:
    html = ("<html><body><div class='row'><div class='col'><div class='hero'><header><h1>Emirates orders 30 Boeing "
            "787 jets</h1><p class='dek'>The $9 billion order replaces 30 of the 777X jets it had committed to.</p>"
            "</header></div></div></div><div class='row'><div class='col'><div class='wrap'>"
            "<div class='text'>"
            f"{'<p>The airline finalised the deal on Wednesday, executives said, at the Dubai Airshow.</p>' * 6}"
            "</div></div></div></div></body></html>")

    lines = extract_text(html).splitlines()

    assert lines[:2] == ["Emirates orders 30 Boeing 787 jets",
                         "The $9 billion order replaces 30 of the 777X jets it had committed to."]


def test_a_site_header_before_the_content_is_not_taken_for_its_standfirst() -> None:
    countries = "".join(f"<span>Country {n}: local site in the national language</span>" for n in range(40))
    html = (f"<html><body><div class='page'><header class='clearfix'><p>Our sites worldwide</p>{countries}</header>"
            "<div class='col'><div class='wrap'><div class='text'>"
            f"{'<p>The company signed a distribution deal on Tuesday, covering 12 countries in Europe.</p>' * 6}"
            "</div></div></div></div></body></html>")

    text = extract_text(html)

    assert "12 countries" in text and "Country 1:" not in text


def test_a_headline_nested_thousands_deep_in_a_furniture_header_is_kept_without_recursion() -> None:
    depth = 3000
    html = (f"<html><body><article><header>{'<div>' * depth}<h1>Deep headline</h1><span>By Ann Lee</span>"
            f"{'</div>' * depth}</header>"
            f"{'<p>The article goes on, paragraph after paragraph, with commas, facts, and figures.</p>' * 5}"
            "</article></body></html>")

    lines = extract_text(html).splitlines()

    assert lines[0] == "Deep headline" and "By Ann Lee" not in lines


def test_a_summary_between_the_headline_and_the_body_is_kept_in_its_place() -> None:
    html = ("<html><body><div class='article'><h1 class='article__heading'>Three die in protests</h1>"
            "<div class='article__date'>19 Nov, 2019</div><div class='article__share'><a href='/s'>Share</a></div>"
            "<div class='article__summary summary'>Three people have died in protests against the interim "
            "government, after clashes near the capital.</div><div class='article__text text'>"
            f"{'<p>The clashes broke out on Monday, officials said, and 30 people were injured.</p>' * 6}"
            "</div></div></body></html>")

    lines = extract_text(html).splitlines()

    assert lines[:2] == ["Three die in protests", ("Three people have died in protests against the interim "
                         "government, after clashes near the capital.")]


def test_a_plain_standfirst_paragraph_just_before_the_body_s_wrapper_is_kept() -> None:
    html = ("<html><body><div id='content'><h1>Branch protests</h1><div class='inner'>"
            "<p class='DefaultIntroduction'>On Friday the cabinet approved the bill, which takes 90% of revenue "
            "above €180 per megawatt hour.</p><div class='gorgia'><div class='frame frame-type-text'>"
            f"{'<p>The association warned that the plan would slow the building of new plants next year.</p>' * 6}"
            "</div></div></div></div></body></html>")

    lines = extract_text(html).splitlines()

    assert "On Friday the cabinet approved the bill, which takes 90% of revenue above €180 per megawatt hour." in lines


@pytest.mark.parametrize("aside", ["<style>.x{}</style>", "<!-- wp:heading -->"], ids=["style", "comment"])
def test_a_standfirst_set_as_a_heading_in_a_page_builder_s_wrappers_before_the_body_is_kept(aside: str) -> None:
    lede = ("The council voted on Tuesday to spend £2.4 million on flood defences along the river, after the "
            "floods of last winter.")
    html = ("<html><body><div id='content'><h1>Flood defences</h1><div class='inner'>"
            f"<div class='row'><div class='column'>{aside}<div class='wrapper'><h2>{lede}</h2></div></div></div>"
            "<div class='row'><div class='frame frame-type-text'>"
            f"{'<p>The works will start in the spring and take two years, the engineers told the meeting.</p>' * 6}"
            "</div></div></div></div></body></html>")

    lines = extract_text(html).splitlines()

    assert lede in lines


def test_paragraphs_set_as_divs_before_the_main_chunk_are_kept() -> None:
    html = ("<html><body><section id='body-text'><div class='l-container'>"
            "<div class='zn-body__paragraph'>(CNN) The President made an unscheduled trip to the hospital on "
            "Saturday for a quick exam.</div><div class='zn-body__paragraph'>You shouldn't just believe them.</div>"
            "<div class='slot'>https://ads.example.com/slot/article-body-1/placement-top-of-article-after-the-lede-paragraph</div>"
            "<div class='zn-body__read-all'>"
            f"{'<div class=zn-body__paragraph>He is 73 years old, the oldest person elected to a first term, and in 2018 he weighed 243 pounds.</div>' * 8}"
            "</div></div></section></body></html>")

    lines = extract_text(html).splitlines()

    assert lines[:2] == ["(CNN) The President made an unscheduled trip to the hospital on Saturday for a quick exam.",
                         "You shouldn't just believe them."]
    assert not any("ads.example.com" in line for line in lines)


def counters_page(accesses: int, shares: int) -> str:
    return ("<html><body><article><h1>Drug reactions and the rheumatologist</h1>"
            f"<ul class='c-article-metrics-bar'><li><p>{accesses} Accesses</p></li><li><p>12 Citations</p></li></ul>"
            f"<div class='altmetric-embed'>Altmetric score 12</div><div class='share-count'>{shares} shares</div>"
            f"<div class='post-views content-post entry-meta'><span class='post-views-label'>Post Views:</span>"
            f"<span class='post-views-count'>{accesses + shares}</span></div>"
            f"{'<p>Allopurinol, sulfasalazine and minocycline pose the highest risk, in 1 of 1,000 patients.</p>' * 5}"
            "<div class='key-figures'><p>Patients studied: 4,210</p></div></article></body></html>")


def test_view_share_and_access_counters_are_left_out_so_they_never_alert() -> None:
    text = extract_text(counters_page(1786, 40))

    assert text == extract_text(counters_page(1790, 41))
    assert "Accesses" not in text and "Altmetric" not in text and "shares" not in text and "Views" not in text
    assert "Patients studied: 4,210" in text.splitlines()


def scrolling_story(number: int, headline: str, paragraphs: int) -> str:
    body = "".join(f"<p>Story {number}, paragraph {n}: the council said on Tuesday that the plan, with its budget, "
                   f"would go ahead in {2026 + n}.</p>" for n in range(paragraphs))
    return f"<article class='entry' id='article-{number}'><header><h1>{headline}</h1></header><div class='entry-text'>{body}</div></article>"


def scrolling_page(title: str) -> str:
    """A page that scrolls on to preloaded stories; the second, the longest, outscores the first."""
    stories = (scrolling_story(0, "Bridge repairs to cost £4.2 million", 3)
               + scrolling_story(1, "Library opening hours extended", 9)
               + scrolling_story(2, "School meals contract renewed", 5))
    return (f"<html><head><title>{title}</title></head><body>"
            f"<article class='post'><div class='scrollblock'>{stories}</div></article></body></html>")


def test_a_page_that_scrolls_on_to_preloaded_stories_gives_the_story_its_title_names() -> None:
    text = extract_text(scrolling_page("City News | Bridge repairs to cost £4.2 million"))

    assert text.startswith("Bridge repairs to cost £4.2 million")
    assert "Story 0, paragraph 2" in text
    assert "Story 1" not in text and "Library opening hours" not in text and "Story 2" not in text


def test_when_the_title_names_none_of_the_stories_none_is_cut_away() -> None:
    text = extract_text(scrolling_page("City News"))

    assert all(f"Story {number}, paragraph 2" in text for number in range(3))


def test_sections_whose_modifier_names_ads_are_kept_when_they_are_all_the_article() -> None:
    # chip.de marks each section of a test report that has room for an ad "TestReport__Section--Ads": by
    # that name alone, every section was furniture, and the article was lost but for its headline.
    sections = "".join(
        f"<section class='Report__Section Report__Section--Ads'><h2>Part {number}</h2><p>The grill reaches "
        f"{800 + number} degrees in {number + 4} minutes, measured with two probes, and keeps it for an hour.</p>"
        f"</section>" for number in range(6))
    html = (f"<html><body><main><article class='Report'><h1>Beef grill in the test</h1>{sections}"
            "<div class='related-posts'><p>More tests: a toaster, a kettle and a waffle iron, all compared.</p></div>"
            "</article></main></body></html>")

    text = extract_text(html)

    assert all(f"{800 + number} degrees in {number + 4} minutes" in text for number in range(6))
    assert "More tests" not in text


@pytest.mark.parametrize("comments", [
    ("<section class='kommentare' id='kommentare'><p>Harzer66, 31.10.2023, 19.18 Uhr</p>"
    "<p>Ach ja, es gab dieses Jahr echt Regen, und die Natur gleicht sich wieder aus.</p></section>"),
    "<div id='comentarios'><p>Juan, 2 de mayo</p><p>Muy buena nota, pero faltan los datos de 2024 y de 2025.</p></div>",
    "<div id='respond'><h3>Was denkst du?</h3><p>Schreibe einen Kommentar, wir freuen uns über jede Antwort.</p></div>",
    "<ol class='comentários'><li><p>Ana, 3 de maio</p><p>Ótima matéria, mas faltam os números de 2024 e de 2025.</p></li></ol>",
    ("<div id='kommentarModul' class='kommentarModul'><p>Sie sind aktuell nicht eingeloggt.</p>"
     "<p>Peter, 2025: Super Anleitung, danke!</p></div>"),
], ids=["kommentare", "comentarios", "respond", "comentários", "camelCase"])
def test_reader_comments_named_in_other_languages_are_left_out(comments: str) -> None:
    text = extract_text(radwege(comments))

    assert "Radweg" in text
    assert "Regen" not in text and "2025" not in text and "Was denkst du" not in text


@pytest.mark.parametrize("line", ["Updated 3 hours ago", "vor 5 Stunden in Aktuelles, keine Lesermeinung",
                                  "Jacobo Betancur Peláez | Publicado hace 3 horas", "Online seit heute, 12.09 Uhr",
                                  "Posted yesterday at 10:15 pm", "il y a 2 heures", "2 ore fa", "a few minutes ago"])
def test_a_line_saying_how_long_ago_the_story_was_posted_is_left_out(line: str) -> None:
    assert drop_relative_stamps(["Neue Radwege", line, "Die Stadt baut zwölf Kilometer."]) == \
        ["Neue Radwege", "Die Stadt baut zwölf Kilometer."]


@pytest.mark.parametrize("line", ["Vor 3 Stunden hat der Rat 12 Mrd. Euro beschlossen.",
                                  "Wie in Europas Kolonialwarenläden vor 50 Jahren",
                                  "Two days ago the minister said the scheme would close to new bids in the spring.",
                                  "Updated 3 hours ago: 1,200 homes without power"],
                         ids=["a figure besides", "years", "a sentence", "a figure after"])
def test_a_line_with_a_figure_or_a_sentence_besides_its_time_stays(line: str) -> None:
    assert drop_relative_stamps([line]) == [line]


def test_copyright_notices_go_and_a_caption_loses_its_credit_but_keeps_its_figure() -> None:
    lines = ["The council will spend £4.2 million on roads.", "© 2025 Example News Ltd. All rights reserved.",
             "Copyright 2025 Hawaii News Now. All rights reserved.", "(c) 2024 Example", "ⓒ Example.co.kr",
             "The bridge cost £12m to repair. © AFP / Jane Doe", "3/28 photos | © Shutterstock",
             "Copyright fees rose 5% to £4m in 2025, the society said."]

    assert drop_rights_notices(lines) == ["The council will spend £4.2 million on roads.",
                                          "The bridge cost £12m to repair.", "3/28 photos",
                                          "Copyright fees rose 5% to £4m in 2025, the society said."]


def test_the_text_of_a_page_holds_no_copyright_line_whose_year_turns_over() -> None:
    html = article_body(
        f"{'<p>The council will spend £4.2 million on new roads, the cabinet member said on Monday.</p>' * 4}"
        "<p>© 2025 Example News Ltd. All rights reserved.</p>")

    assert "2025" not in extract_text(html) and extract_text(html.replace("2025", "2026")) == extract_text(html)


def test_a_long_paragraph_about_copyright_and_a_sentence_after_the_mark_stay() -> None:
    paragraph = "Copyright 2019 rules changed: " + "the court held that the licence covered the works, " * 5
    sentence = "The logo reads © Example. It was registered in 2019, the court heard."

    assert drop_rights_notices([paragraph, sentence]) == [paragraph, sentence]


def test_warnings_php_printed_into_the_page_go_and_a_warning_in_the_news_stays() -> None:
    lines = ["Málaga ist die quirlige Metropole Andalusiens.",
             "Deprecated: preg_replace(): The /e modifier is deprecated in /www/htdocs/wp-includes/formatting.php on line 82",
             "Warning: mysql_get_server_info(): Access denied for user ''@'localhost' in /www/wp/db.php on line 12",
             "Warning: heavy rain in Leeds on line 5 of the tram network from 6pm."]

    assert drop_server_diagnostics(lines) == [lines[0], lines[3]]


def test_a_reading_time_goes_from_its_line_and_a_line_holding_only_it_goes_whole() -> None:
    lines = ["By Jo Lee Feb 8, 2020 5 min read", "Lesezeit: ca. 3 Minuten", "Tempo de leitura: 2 minutos",
             "The report takes 5 minutes to read aloud, the clerk said, and runs to 40 pages."]

    assert drop_reading_times(lines) == ["By Jo Lee Feb 8, 2020",
                                         "The report takes 5 minutes to read aloud, the clerk said, and runs to 40 pages."]


def misread(text: str) -> str:
    """Text as a page shows it when its UTF-8 was read as windows-1252."""
    return text.encode("utf-8").decode("cp1252", errors="strict")


def test_utf8_read_as_windows_1252_is_read_again_and_a_true_windows_1252_dash_beside_it_stays() -> None:
    lines = [misread("Sprzeciw wobec ataków na Fundację"), misread("Głos zabrała również Akcja Katolicka"),
             misread("Das Schaf, Standardausführung, weiß") + " – viel mehr", misread("Il est à Paris: £2.5bn")]

    assert repair_mojibake(lines) == ["Sprzeciw wobec ataków na Fundację", "Głos zabrała również Akcja Katolicka",
                                      "Das Schaf, Standardausführung, weiß – viel mehr", "Il est à Paris: £2.5bn"]


def test_text_that_only_looks_misread_in_one_place_is_left_as_it_is() -> None:
    lines = ["SÃO PAULO: a cidade", "«ÜBER»", "Ärzte und Ångström", "Château, âge, Ñandú"]

    assert repair_mojibake(lines) == lines


def test_a_misread_headline_is_read_again_with_its_page_though_it_holds_one_misread_letter() -> None:
    headline, paragraph = "Förderung steigt", "Die Stadt investiert £2,5 Mio. in Radwege – das Bündnis begrüßt das."
    html = (f"<html><head><title>{misread(headline)}</title></head><body><h1>{misread(headline)}</h1>"
            f"<div class='article-body'>{('<p>' + misread(paragraph) + '</p>') * 4}</div></body></html>")

    assert extract_text(html).splitlines() == [headline] + [paragraph] * 4


def test_a_page_whose_utf8_was_read_as_windows_1252_gives_its_figures_and_words() -> None:
    paragraph = "Die Förderung für Radwege steigt auf £2,5 Mio. – das Bündnis begrüßt das, à la carte."
    html = article_body(("<p>" + misread(paragraph) + "</p>") * 4)

    assert extract_text(html).splitlines() == [paragraph] * 4


def headed_page(headline: str, title: str, after_headline: str = "") -> str:
    body = "".join(f"<p>Paragraph {n}: the programme will fund £{n + 1}.5 million of local projects, the department "
                   "said, with more to follow.</p>" for n in range(5))
    return (f"<html><head><title>{title}</title></head><body>"
            "<header class='site'><h1 class='site-title'><a href='/'>Department for Places</a></h1></header>"
            f"<div class='page-header'><div class='wrap'><h1>{headline}</h1></div>{after_headline}</div>"
            f"<div class='columns'><div class='column-main'><div class='text'>{body}</div></div>"
            "<div class='column-side'><ul><li><a href='/a'>Contact us</a></li></ul></div></div></body></html>")


def test_the_headline_the_title_names_leads_the_text_though_it_stands_apart_from_the_body() -> None:
    text = extract_text(headed_page("Funding for towns rises to £4.5 million", "Funding for towns rises to £4.5 million - GOV.UK"))

    assert text.splitlines()[:2] == ["Funding for towns rises to £4.5 million",
                                     ("Paragraph 0: the programme will fund £1.5 million of local projects, the department "
                                     "said, with more to follow.")]
    assert "Department for Places" not in text


@pytest.mark.parametrize("title", ["Funding for towns rises to £4.5 million - GOV.UK", "Department for Places"],
                         ids=["another headline", "the site's name, a link home"])
def test_an_h1_the_title_does_not_name_or_that_names_the_site_is_not_taken_for_the_headline(title: str) -> None:
    text = extract_text(headed_page("Latest news", title))

    assert text.startswith("Paragraph 0") and "Latest news" not in text and "Department for Places" not in text


def test_where_the_title_is_the_cms_s_the_title_given_for_sharing_names_the_headline() -> None:
    headline = "Funding for towns rises to £4.5 million"
    html = headed_page(headline, "Department for Places - detail").replace(
        "</title>", f"</title><meta property='og:title' content='{headline}'>")

    assert extract_text(html).splitlines()[0] == headline
    assert extract_text(headed_page(headline, "Department for Places - detail")).startswith("Paragraph 0")


def test_the_headline_is_read_apart_from_the_main_text_and_leads_what_is_stored() -> None:
    headline = "Funding for towns rises to £4.5 million"
    body = "".join(f"<p>Paragraph {n}: the programme will fund £{n + 1}.5 million of local projects, the department "
                   "said, with more to follow.</p>" for n in range(5))
    html = (f"<html><head><title>{headline} - GOV.UK</title></head><body><article>"
            f"<p>Press release from the Department for Places, issued on 3 March 2025 in London.</p>"
            f"<h1>{headline}</h1>{body}</article></body></html>")

    extracted = extract_page(html)

    assert extracted.headline == headline and headline not in extracted.body
    assert extracted.body.startswith("Press release from the Department") and "Paragraph 4" in extracted.body
    assert extracted.text == f"{headline}\n{extracted.body}" == extract_text(html)
    assert extract_main_text(html) == extracted.body


def test_a_headline_that_stands_apart_is_the_headline_and_not_the_main_text() -> None:
    headline = "Funding for towns rises to £4.5 million"
    extracted = extract_page(headed_page(headline, headline))

    assert extracted.headline == headline and extracted.body.startswith("Paragraph 0")


def test_a_page_that_is_only_its_headline_is_stored_as_its_headline() -> None:
    headline = "Funding for towns rises to £4.5 million"
    html = f"<html><head><title>{headline}</title></head><body><h1>{headline}</h1></body></html>"

    assert extract_text(html) == headline


def test_the_standfirst_after_a_headline_that_stands_apart_follows_it_past_the_byline() -> None:
    after = ("<div class='author'>By Jane Doe and John Roe, 3 hours ago, 4 minutes to read</div>"
             "<figure><img src='a.jpg'><figcaption>The town hall</figcaption></figure>"
             "<p class='dek'>Twelve towns will share the £4.5 million, up from £3 million last year.</p>")

    lines = extract_text(headed_page("Funding for towns rises to £4.5 million", "Funding for towns rises to £4.5 million",
                                     after)).splitlines()

    assert lines[:3] == ["Funding for towns rises to £4.5 million",
                         "Twelve towns will share the £4.5 million, up from £3 million last year.",
                         ("Paragraph 0: the programme will fund £1.5 million of local projects, the department "
                         "said, with more to follow.")]
    assert not any("Jane Doe" in line for line in lines)


def chunk(number: int, paragraphs: int) -> str:
    return ("<div class='story-text'>" + "".join(
        f"<p>Part {number}.{n}: the council approved the budget of £{number}.{n} million on Tuesday, after a long "
        "debate about the library, the pool, the bus station and the repairs to the market hall, which the "
        "opposition said had waited for ten years.</p>" for n in range(paragraphs)) + "</div>")


def row(content: str) -> str:  # politico's layout: each stretch of text four levels down in a row of its own
    return f"<section class='row'><div class='container'><div class='column'><div class='inner'>{content}</div></div></div></section>"


def test_an_article_cut_by_ads_into_blocks_of_one_class_keeps_every_block() -> None:
    rows = row(chunk(0, 8)) + row("<p>Advertisement</p>") + row(chunk(1, 1)) + row("<p>Advertisement</p>") + row(chunk(2, 1))
    teaser = ("<div class='story-text'><h3><a href='/park'>Park opened</a></h3><p>Another story: the mayor opened "
              "the park on Monday, with a playground, a pond, a café and a garden, after three years of works "
              "that closed the road along the river, moved the market and cost the town more than planned.</p></div>")
    html = (f"<html><head><title>Budget approved</title></head><body><main>{rows}{row(teaser)}</main>"
            "</body></html>")

    text = extract_text(html)

    assert "Part 0.7" in text and "Part 1.0" in text and "Part 2.0" in text
    assert "Another story" not in text


@pytest.mark.parametrize("page", [
    "<html><body hidden>{}</body></html>",
    "<html><body style='display:none'>{}</body></html>",
    "<html hidden><body>{}</body></html>",
    "<html><body aria-hidden='true'>{}</body></html>",
    "<html><body class='single comments'>{}</body></html>",
    "<html><body><main id='comments'>{}</main></body></html>",
], ids=["body hidden", "body display none", "html hidden", "body aria-hidden", "body classed comments", "main named comments"])
def test_a_page_hidden_until_a_script_shows_it_is_read_not_dropped(page: str) -> None:
    text = extract_text(page.format("<p>The council will spend £1,250,000 on repairs during 2026.</p>"))

    assert text == "The council will spend £1,250,000 on repairs during 2026."


@pytest.mark.parametrize("remove", [("body",), ("html",), ("html, body",)])
def test_a_remove_selector_matching_the_page_itself_leaves_the_page(remove: tuple[str, ...]) -> None:
    assert "£500 million" in extract_text(press_release(), remove=remove)


def test_a_wordpress_widget_area_inside_the_content_is_left_out() -> None:
    paragraph = "<p>Die Stadt baut bis 2027 zwölf Kilometer neue Radwege, sagte die Bürgermeisterin am Montag.</p>"
    html = ("<html><body><div id='main'>"
            f"<div class='post-part'>{paragraph * 4}</div><div class='post-part2'>{paragraph * 4}</div>"
            "<div id='primary' class='widget-area'><ul class='xoxo'><li class='widget_text widget-container'>"
            "<p>Der geheimnisvolle Button: hier klicken, um den Podcast bei iTunes zu abonnieren.</p></li></ul></div>"
            "</div></body></html>")

    text = extract_text(html)

    assert text.count("zwölf Kilometer") == 8 and "geheimnisvolle" not in text


def related_block(number: int) -> str:  # zdnet's markup: each teaser's text in a div.content
    return (f"<li><div class='content'><h3><a href='/s/{number}'>Story {number}</a></h3>"
            + f"<p>Summary {number}: another story, with a clause, another clause, more words and an end.</p>" * 3
            + "</div></li>")


def test_a_short_story_beside_more_related_teasers_than_text_is_still_the_content() -> None:
    story = "".join(f"<p>Paragraph {n}: the council will spend £{n + 1}.2 million on flood defences, it said, "
                    "after a consultation that ran for three months.</p>" for n in range(9))
    html = (f"<html><body><div class='page'><div class='storybody'>{story}</div>"
            f"<section class='module related-stories'><ul>{''.join(related_block(n) for n in range(12))}</ul></section>"
            "</div></body></html>")

    text = extract_text(html)

    assert "Paragraph 8" in text and "Summary" not in text


def test_a_page_whose_only_text_sits_in_a_block_classed_sidebar_is_still_read() -> None:
    story = "<p>The council will spend £3.2 million on flood defences, it said on Tuesday, after a long debate.</p>" * 12
    html = (f"<html><body><nav><a href='/'>Home</a></nav><div class='sidebar-layout'>{story}</div>"
            "<p>The town hall is open from Monday to Friday, nine to five.</p></body></html>")

    assert "£3.2 million" in extract_text(html)


@pytest.mark.parametrize(("headline", "title"), [
    ("<a href='/2013/09/12/grants-rise/'>Grants rise to £4.5 million</a>", "Grants rise to £4.5 million - Our Blog"),
    ("Grants rise to £4.5 million", "Grants rise to £4.5 million › Department for Places and Local Communities"),
], ids=["linked to its own post", "opening a title with a long site name"])
def test_a_headline_linked_to_its_post_or_opening_a_long_title_is_the_headline(headline: str, title: str) -> None:
    assert extract_text(headed_page(headline, title)).startswith("Grants rise to £4.5 million\nParagraph 0")


@pytest.mark.parametrize("name", ["relatedlinks", "relatedArticles", "relatedcontent"])
def test_related_blocks_whose_class_runs_on_into_the_next_word_are_left_out(name: str) -> None:
    block = (f"<div class='{name}'><h2>Entdecken Sie jetzt</h2><p>Robotik in der Industrie: vom Unimate zum "
             "Sprachmodell, eine Geschichte in zehn Maschinen und einem Ausblick.</p></div>")

    text = extract_text(radwege(block))

    assert "Radwege" in text and "Robotik" not in text


def test_when_the_furniture_pass_has_read_its_fill_the_blocks_left_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    html = radwege("<div class='share-buttons'><a href='/f'>Teilen auf Facebook</a></div>")
    assert "Teilen" not in extract_text(html)

    monkeypatch.setattr(furniture_stage, "_READ_FACTOR", 0)
    monkeypatch.setattr(furniture_stage, "_READ_FLOOR", 0)  # as on a page nested thousands deep, once its budget is read

    text = extract_text(html)

    assert "Radwege" in text and "Teilen auf Facebook" in text


def test_dozens_of_blocks_of_the_content_s_class_are_a_list_and_stay_out() -> None:
    rows = row(chunk(0, 40)) + "".join(row(chunk(number, 1)) for number in range(1, 23))  # 0 holds over 60%
    html = f"<html><head><title>Budget approved</title></head><body><main>{rows}</main></body></html>"

    text = extract_text(html)

    assert "Part 0.39" in text and "Part 5.0" not in text
