"""What every button and link shows: no action is a bare pictogram whose
text only a screen reader hears (DSFR's icon-only buttons, ``fr-sr-only``
text, a ``title`` alone), and no page is wider than the screen. The sweep over
every page type (``test_accessibility``) looks with these at 1280 and 375 px."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ACTIONS = "a[href], button, input[type=submit], input[type=button]"

# What each action shows. A visible action is read as the eye reads it: its
# ``innerText`` (what Playwright's ``inner_text()`` returns), then whether some
# of that text is drawn where it can be seen: a text box wider and taller than
# a few pixels once cut by every box between the text and the action that clips
# what overflows (DSFR's icon-only buttons hide their words past a 40-px box;
# ``fr-sr-only`` shrinks them into a 1-px one). An action out of sight (in a
# closed menu) must still hold words, for when it opens.
ACTIONS_SHOWN = """
(actions) => actions.map((action) => {
  const html = action.outerHTML.slice(0, 160);
  const visible = action.getClientRects().length > 0 && getComputedStyle(action).visibility === "visible";
  if (action.tagName === "INPUT") return {html, text: action.value, drawn: true};
  if (!visible) return {html, text: action.textContent, drawn: true};
  const walker = document.createTreeWalker(action, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      let [left, top, right, bottom] = [rect.left, rect.top, rect.right, rect.bottom];
      for (let box = node.parentElement; box; box = box === action ? null : box.parentElement) {
        const style = getComputedStyle(box);
        if (style.overflow !== "visible" || style.clip !== "auto" || style.clipPath !== "none") {
          const edge = box.getBoundingClientRect();
          [left, top] = [Math.max(left, edge.left), Math.max(top, edge.top)];
          [right, bottom] = [Math.min(right, edge.right), Math.min(bottom, edge.bottom)];
        }
        if (style.opacity === "0" || style.visibility !== "visible") right = left;
      }
      if (right - left > 4 && bottom - top > 4) return {html, text: action.innerText, drawn: true};
    }
  }
  return {html, text: action.innerText, drawn: false};
})
"""


def actions_without_words(page: Page) -> list[str]:
    # One look at the whole page: DSFR's script copies the header's links
    # into the phone menu once loaded, which must not happen between two reads.
    page.locator("html[data-fr-js='true']").wait_for(state="attached")
    problems = []
    for action in page.locator(ACTIONS).evaluate_all(ACTIONS_SHOWN):
        if not action["text"].strip():
            problems.append(f"no text: {action['html']}")
        elif not action["drawn"]:
            problems.append(f"text not shown: {action['html']}")
    return problems


def words_and_width_problems(page: Page, width: int) -> list[str]:
    """What a person at ``width`` pixels misses on the page: actions without
    their words, a page wider than the window, and on a phone the same in the
    header's menu."""
    found = actions_without_words(page)
    # A page wider than the screen zooms out on a phone, every word shrunk:
    # what is wide (a table) scrolls inside its own box instead.
    if (scroll_width := page.evaluate("document.documentElement.scrollWidth")) > width:
        found.append(f"the page is {scroll_width} px wide")
    menu = page.locator("#bouton-menu")
    if menu.is_visible():
        # On a phone, the header's links live in the menu: open it and look again.
        menu.click()
        page.locator("#menu-principal").wait_for(state="visible")
        found += [f"in the menu: {p}" for p in actions_without_words(page)]
    return found


def test_the_check_sees_a_pictogram_button_and_text_for_screen_readers_only(page: Page, live_portal):
    page.goto(f"{live_portal}/sud-ouest/")
    page.locator("#contenu").evaluate(
        """(main) => main.insertAdjacentHTML("afterbegin",
        '<ul class="fr-btns-group"><li>'
        + '<a class="fr-btn fr-icon-add-line fr-btn--icon-left" href="#">Ajouter</a></li></ul>'
        + '<a class="fr-btn fr-icon-edit-line" href="#">Modifier</a>'
        + '<a href="#"><span class="fr-sr-only">Retour</span></a>'
        + '<a href="#" title="Accueil"></a>'
        + '<a class="fr-btn fr-btn--icon-left fr-icon-edit-line" href="#">Corriger</a>')"""
    )

    problems = actions_without_words(page)

    assert [p.split(":")[0] for p in problems[:4]] == ["text not shown"] * 3 + ["no text"]
    assert "Ajouter" in problems[0]
    assert "Modifier" in problems[1]
    assert "Retour" in problems[2]
    assert not any("Corriger" in p for p in problems)
