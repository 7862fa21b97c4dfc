"""Marshmallow schemas: field names equal the application methods' parameter names."""
