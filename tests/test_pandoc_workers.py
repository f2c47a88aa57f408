"""Pandoc's long-lived workers are replaced before their log slows them."""

from bookbuild import pandoc

UNUSED = "Text.\n\n" + "".join(f"[^n{i}]: never used\n\n" for i in range(5))


def _idle_pids() -> set[int]:
    return {w.proc.pid for w in pandoc._POOL._idle}


def test_a_worker_whose_answers_held_many_log_messages_is_replaced(monkeypatch):
    pandoc.stop_workers()
    monkeypatch.setattr(pandoc, "LOG_PER_WORKER", 4)
    pandoc.read_markdown("Quiet text.\n")
    (quiet,) = _idle_pids()  # two log messages would be few: it stays
    parsed = pandoc.read_markdown(UNUSED)
    assert len(parsed.of_type("NoteDefinedButNotUsed")) == 5
    assert not _idle_pids()  # its log grew past the bound: gone
    pandoc.read_markdown("Quiet text.\n")
    assert _idle_pids() and quiet not in _idle_pids()
    pandoc.stop_workers()
