"""The system Chromium the browser tests drive (Playwright cannot download one
here): where it is and how it starts."""

import os

from playwright.sync_api import Browser, Playwright

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless, as root in a container, and without the background connections a
# closed network refuses.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
]


def chromium_launch(playwright: Playwright, *args: str) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=[*BROWSER_ARGS, *args], headless=True)
