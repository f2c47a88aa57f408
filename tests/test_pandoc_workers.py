"""Pandoc's long-lived workers are replaced before their log slows them."""

from bookbuild import pandoc

UNUSED = "Text.\n\n" + "".join(f"[^n{i}]: never used\n\n" for i in range(5))


def test_a_worker_whose_answers_held_many_log_messages_is_replaced(monkeypatch):
    monkeypatch.setattr(pandoc, "LOG_PER_WORKER", 4)
    pool = pandoc.Pool()  # a runtime's own: no other test's workers in it

    def idle_pids() -> set[int]:
        return {w.proc.pid for w in pool._idle}

    try:
        with pandoc.using(pool):
            pandoc.read_markdown("Quiet text.\n")
            (quiet,) = idle_pids()  # two log messages would be few: it stays
            parsed = pandoc.read_markdown(UNUSED)
            assert len(parsed.of_type("NoteDefinedButNotUsed")) == 5
            assert not idle_pids()  # its log grew past the bound: gone
            pandoc.read_markdown("Quiet text.\n")
            assert idle_pids() and quiet not in idle_pids()
    finally:
        pool.close()
