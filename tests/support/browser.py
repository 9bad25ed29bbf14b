"""Helpers for browser tests."""


def tap(dash_duo, element) -> None:
    """Bring the element to the middle of the screen at once, as a finger scrolling would, and tap it
    (Bootstrap scrolls smoothly, so a click during the scroll may land on something else)."""
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()
