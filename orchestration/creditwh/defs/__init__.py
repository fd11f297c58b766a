"""Dagster definitions, one folder per concern; ``creditwh.definitions`` assembles them."""
