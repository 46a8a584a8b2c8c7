"""Tests of predictkit.testing, the local reference server."""
