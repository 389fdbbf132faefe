#!/usr/bin/env python3
"""Example entry point."""
print("{}")
