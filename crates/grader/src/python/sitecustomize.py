"""The grader's module for Python runs, first on PYTHONPATH: it records which
threads of which processes ran the program's own functions, and says nothing.

Each thread is profiled until it first runs a function of the program's own
code (a file outside Python's own folders); it then writes one line to the
grader's log and is profiled no more, so a busy thread pays for a few calls
only. Forked children (multiprocessing's fork, a pool's workers) start afresh;
spawned ones import this module again. The machine's own sitecustomize, if any,
is imported after this one.

Log lines, appended whole (one write each):
  loaded PID PPID VERSION     this module ran in a new interpreter
  forked PID PPID             a process forked from one that had it
  thread PID TID              a thread other than the main one ran Python code
  work PID PPID TID MAIN NAME a thread first ran the program's function NAME
"""

import os
import sys
import threading

_LOG = os.environ.get("CONCURRENCY_GRADER_WORK_LOG")


def _own_code_prefixes():
    import sysconfig

    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    prefixes.update(sysconfig.get_paths().values())
    prefixes.add(os.path.dirname(os.path.abspath(__file__)))
    return tuple(p.rstrip("/") + "/" for p in prefixes if p)


def _write(line):
    try:
        fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode("utf-8", "replace"))
        finally:
            os.close(fd)
    except OSError:
        pass


def _start():
    not_own = _own_code_prefixes()
    own_files = {}
    started = set()
    # This process and its main thread, set again in a forked child.
    me = [os.getpid(), threading.main_thread().ident]
    get_ident = threading.get_ident

    # Code made at run time (`<string>`: namedtuples, dataclasses) is the
    # standard library's, but for a program given with -c, whose own it also is.
    made_here = ("<string>",) if sys.argv[:1] == ["-c"] else ()

    def own(code):
        name = code.co_filename
        known = own_files.get(name)
        if known is None:
            known = not name.startswith(not_own) and (
                not name.startswith("<") or name in made_here
            )
            own_files[name] = known
        return known

    def profile(frame, event, arg):
        if event != "call":
            return
        ident = get_ident()
        main = ident == me[1]
        if not main and ident not in started:
            started.add(ident)
            _write("thread %d %d" % (me[0], threading.get_native_id()))
        code = frame.f_code
        # A module's top level is not work: a spawned child runs the main
        # file's again before its task.
        if code.co_name == "<module>" or not own(code):
            return
        name = getattr(code, "co_qualname", code.co_name)
        _write(
            "work %d %d %d %d %s"
            % (me[0], os.getppid(), threading.get_native_id(), main, name)
        )
        sys.setprofile(None)

    def forked():
        me[0] = os.getpid()
        me[1] = get_ident()
        started.clear()
        _write("forked %d %d" % (me[0], os.getppid()))
        sys.setprofile(profile)
        threading.setprofile(profile)

    _write("loaded %d %d %s" % (me[0], os.getppid(), sys.version.split()[0]))
    os.register_at_fork(after_in_child=forked)
    threading.setprofile(profile)
    sys.setprofile(profile)


def _chain():
    """Imports the sitecustomize this one stands in front of, if there is one."""
    here = os.path.dirname(os.path.abspath(__file__))
    me = sys.modules.pop("sitecustomize", None)
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    try:
        import sitecustomize  # noqa: F401
    except ImportError:
        pass
    finally:
        sys.path[:] = saved
        if me is not None:
            sys.modules["sitecustomize"] = me


if _LOG:
    _start()
_chain()
