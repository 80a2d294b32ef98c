"""On a phone (390 px wide) the page never scrolls sideways, the menu's news count and all
(the menu itself: test_phone_menu.py)."""

from __future__ import annotations

from overgang.organisations.models import Role
from overgang.stays import news


def test_the_menu_with_a_news_count_stays_within_a_phone_screen(page, log_in, make_user, areas):
    make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))
    news.tell("discharged", to=areas["levanger-tildeling"], link="/worklist/")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("levanger-case")
    assert page.locator("#news-count").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
