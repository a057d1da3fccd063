"""The web shell: GOV.UK Frontend pages and the JSON API, both thin over the services."""
