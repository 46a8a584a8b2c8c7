"""API resources, one module each; sync and async methods side by side."""
