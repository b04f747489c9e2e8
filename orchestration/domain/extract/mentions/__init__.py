"""Typed spans: people, organizations, countries, dates, money."""
