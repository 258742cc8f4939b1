import conftest


def test_a(cast):
    pass


def test_b(cast):
    r = conftest._cast_replay
    print("\nPROF recordable", r.recordable, "recording", r.recording is not None)
