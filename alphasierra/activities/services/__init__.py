"""The activities' writes, one module per job: ``publishing`` (an activity's
life, by its managers), ``registration`` (a household's request and its
cancellation), ``waiting`` (offers of freed places). No re-exports."""
