"""The activities' pages, one module per audience and job; no re-exports."""
