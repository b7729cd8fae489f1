"""Catalogue: products, orders and interactions, importers, demo data, search."""

from greencart.catalog.models import Interaction, Order, OrderLine, Product, Shopper

__all__ = ["Interaction", "Order", "OrderLine", "Product", "Shopper"]
