"""The ground floor shared by every app (docs/architecture.md): French formatting, the refusal of an
action, path converters, the upload field, the base of our console commands, fast inserts and the
template filters. It imports only the pure engine and formats."""
