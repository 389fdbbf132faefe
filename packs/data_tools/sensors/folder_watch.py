#!/usr/bin/env python3
"""Example sensor."""
