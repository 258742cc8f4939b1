"""The activities' forms, one module per page family; no re-exports."""
