"""Sustainable operations for the merchant: demand forecasting, energy-aware production
planning, carbon-aware replenishment (``forecast``, ``plan``, ``replenish``) and
low-emission delivery routing (``routing``). Nothing is imported here: each module
loads its solver libraries lazily."""
