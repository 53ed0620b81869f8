"""Real-browser tests of the public site (Playwright, Chromium, axe-core)."""
