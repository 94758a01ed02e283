"""What a page breaks of the Content-Security-Policy, as the browser reports it."""

from playwright.async_api import Page

# Runs before the page's own scripts (injected by the browser's debugger, outside the policy).
_RECORD = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


class CspWatch:
    """Collects the policy violations of a page: its console's and its DOM events'."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message: object) -> None:
        text = getattr(message, "text", "")
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    @classmethod
    async def on(cls, page: Page) -> "CspWatch":
        """Start watching `page` (before it navigates)."""
        await page.add_init_script(_RECORD)
        return cls(page)

    async def violations(self) -> list[str]:
        """Every violation so far."""
        events: list[str] = await self.page.evaluate("window.__cspViolations || []")
        return [*self.console, *events]
