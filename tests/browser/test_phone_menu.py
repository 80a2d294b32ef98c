"""On a phone (390 px) the header's sections fold behind a Menu button: it opens to show
every section within the screen and whose menu it is, Escape closes it and gives the focus
back; the closed button shows the count of unread notifications. A technician finds the
depot overview, the notifications and the label sheets there; others do not see the stock.
The depot overview's cells say which column they are in when the table stacks."""

from __future__ import annotations

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, ViewportSize, expect

from overgang.aids import actions
from overgang.organisations.models import Role
from overgang.stays import news

PHONE: ViewportSize = {"width": 390, "height": 844}


def _technician(make_user, areas, system) -> User:
    user = make_user("ous-bhm", ("ous-bhm", Role.AIDS_STAFF))
    User.objects.filter(pk=user.pk).update(first_name="Tone", last_name="Teknikersen")
    actions.register_device(
        actor=system, aid_type="cpap", serial="OUS-CPA-9001", owner=areas["ous-bhm"]
    )
    news.tell("discharged", to=areas["ous-bhm"], link="/worklist/")
    return user


def test_the_menu_opens_within_the_phone_screen_and_escape_closes_it(
    page: Page, log_in, make_user, areas, system
):
    _technician(make_user, areas, system)
    page.set_viewport_size(PHONE)
    log_in("ous-bhm")
    button = page.get_by_role("button", name="Menu")
    menu = page.locator("#main-menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "main-menu")
    expect(menu).to_be_hidden()
    # The unread notification is counted on the closed menu's button.
    expect(button.locator(".badge")).to_have_text("1")

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.locator(".menu-who")).to_have_text("Tone Teknikersen")
    links = menu.locator("a")
    assert links.count() >= 10
    for link in links.all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, link
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The technician's sections: the stock, the notifications with their count, labels.
    expect(menu.locator("a[href='/depot/']")).to_be_visible()
    expect(menu.locator("a[href='/labels/']")).to_be_visible()
    expect(menu.locator("a[href='/notifications/'] #news-count")).to_have_text("1")

    # The language and logging out sit in the open menu: a tap in the header keeps it open.
    expect(page.locator("#language")).to_be_visible()
    menu.locator(".menu-who").click()
    expect(button).to_have_attribute("aria-expanded", "true")

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")

    # A tap on the page closes the menu too.
    button.click()
    page.locator("main h1").click()
    expect(menu).to_be_hidden()

    # The label sheet opens from the menu and offers the unit's device.
    button.click()
    with page.expect_navigation():
        menu.locator("a[href='/labels/']").click()
    device = page.locator("input[name=serial][value='OUS-CPA-9001']")
    expect(device).not_to_be_checked()
    # The type's box ticks all of its devices.
    page.get_by_role("checkbox", name="CPAP").check()
    expect(device).to_be_checked()


def test_the_depot_table_names_each_cell_on_a_phone(page: Page, log_in, make_user, areas, system):
    _technician(make_user, areas, system)
    page.set_viewport_size(PHONE)
    log_in("ous-bhm")
    page.goto("/depot/")
    row = page.locator("table.depot tbody tr").first
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels[:3] == ['"Unit: "', '"Aid type: "', '"available: "'], labels
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    region = page.locator("div.scroll[role=region]")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_attribute("aria-label", "Depot overview")


def test_the_menu_offers_no_stock_to_a_case_worker(page: Page, log_in, make_user):
    make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))
    page.set_viewport_size(PHONE)
    log_in("levanger-case")
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#main-menu")
    expect(menu.locator("a[href='/notifications/']")).to_be_visible()
    expect(menu.locator("a[href='/depot/']")).to_have_count(0)
    expect(menu.locator("a[href='/labels/']")).to_have_count(0)
    expect(menu.locator("a[href='/devices/']")).to_have_count(0)


def test_without_script_the_menu_shows_on_a_phone(browser: Browser, live_server, make_user):
    make_user("levanger-case", ("levanger-tildeling", Role.CASE_WORKER))
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/login/")
        page.locator("#id_username").fill("levanger-case")
        page.locator("#id_password").fill("demo")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        expect(page.locator(".menu-button")).to_be_hidden()
        expect(page.locator("#main-menu a[href='/worklist/']")).to_be_visible()
        expect(page.locator(".tools button.link")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
