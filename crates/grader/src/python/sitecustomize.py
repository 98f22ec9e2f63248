"""The grader's module for Python runs, first on PYTHONPATH: it records which
threads of which processes ran the program's own work, and says nothing.

A thread has worked when it ran a function of the program's own files (outside
Python's own folders, not a module's top level), or when a thread, a pool or a
process of the standard library called a built-in the program handed it
(`pool.map(math.factorial, ...)`), a nap (`time.sleep`) excepted. Each thread
is profiled until it has worked; it then writes one line to the grader's log
and is profiled no more, so a busy thread pays for a few calls only. Forked
children (multiprocessing's fork, a pool's workers) start afresh; spawned ones
import this module again. The machine's own sitecustomize, if any, is imported
after this one. Should anything here fail, the thread is left alone: the
program never sees this module's errors.

With a seed in CONCURRENCY_GRADER_PREEMPT it also pauses the program at random
instructions of its own, to show the races it has (see _preempt).

Log lines, appended whole (one write each):
  loaded PID PPID VERSION     this module ran in a new interpreter
  forked PID PPID             a process forked from one that had it
  thread PID TID              a thread other than the main one ran Python code
  work PID PPID TID MAIN NAME a thread first worked, running NAME
  preempt PID SEED            this process pauses at random, drawing from SEED
"""

import os
import sys
import threading
import time

_LOG = os.environ.get("CONCURRENCY_GRADER_WORK_LOG")
_SLEEP = time.sleep

# Where the standard library calls what a program handed a thread, a thread
# pool, a process or a process pool: the function, the end of its file's path,
# and where among its locals the handed callable is (None: the function runs
# only to do a task's work, `Pool.map`'s, so its own call is that work).
_DISPATCH = (
    ("run", "/threading.py", lambda l: getattr(l.get("self"), "_target", None)),
    ("run", "/concurrent/futures/thread.py", lambda l: getattr(l.get("self"), "fn", None)),
    ("run", "/multiprocessing/process.py", lambda l: getattr(l.get("self"), "_target", None)),
    ("worker", "/multiprocessing/pool.py", lambda l: l.get("func")),
    ("mapstar", "/multiprocessing/pool.py", None),
    ("starmapstar", "/multiprocessing/pool.py", None),
    ("_process_chunk", "/concurrent/futures/process.py", lambda l: l.get("fn")),
    ("<listcomp>", "/concurrent/futures/process.py", lambda l: l.get("fn")),
)


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


def _own_code():
    """A test of whether a code object is the program's own: from a file outside
    Python's own folders, or, for a program given with -c, made at run time
    (`<string>`, which is otherwise the standard library's: namedtuples,
    dataclasses). Cached by file."""
    not_own = _own_code_prefixes()
    made_here = ("<string>",) if sys.argv[:1] == ["-c"] else ()
    own_files = {}

    def own(code):
        name = code.co_filename
        known = own_files.get(name)
        if known is None:
            known = not name.startswith(not_own) and (
                not name.startswith("<") or name in made_here
            )
            own_files[name] = known
        return known

    return own


def _start():
    own = _own_code()
    dispatching = {}
    started = set()
    # This process and its main thread, set again in a forked child.
    me = [os.getpid(), threading.main_thread().ident]
    get_ident = threading.get_ident

    def handed(frame, callee):
        """Whether `callee`, called from `frame`, is what the program handed
        a thread, a pool or a process to run; with no `callee`, whether
        `frame` itself is a task the program handed a pool."""
        code = frame.f_code
        found = dispatching.get(code)
        if found is None:
            found = next(
                (
                    (where,)
                    for name, path, where in _DISPATCH
                    if code.co_name == name and code.co_filename.endswith(path)
                ),
                (),
            )
            dispatching[code] = found
        if not found:
            return False
        where = found[0]
        if callee is None or where is None:
            return callee is None and where is None
        return where(frame.f_locals) is callee

    def worked(name):
        main = 1 if get_ident() == me[1] else 0
        _write(
            "work %d %d %d %d %s"
            % (me[0], os.getppid(), threading.get_native_id(), main, name)
        )
        sys.setprofile(None)

    def watch(frame, event, arg):
        if event == "c_call":
            if arg is not _SLEEP and handed(frame, arg):
                worked(getattr(arg, "__qualname__", "a built-in"))
            return
        if event != "call":
            return
        ident = get_ident()
        if ident != me[1] and ident not in started:
            started.add(ident)
            _write("thread %d %d" % (me[0], threading.get_native_id()))
        code = frame.f_code
        # A module's top level is not work: a spawned child runs the main
        # file's again before its task.
        if code.co_name != "<module>" and own(code):
            worked(getattr(code, "co_qualname", code.co_name))
        elif not own(code) and handed(frame, None):
            worked("a pool's task (" + code.co_name + ")")

    def profile(frame, event, arg):
        try:
            watch(frame, event, arg)
        except Exception:
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


def _preempt(seed):
    """Opens race windows on purpose: at the program's own instructions (never
    the standard library's), between the pieces `print` writes, and just after
    a `threading.Lock` is released, while several threads are alive or the
    program runs in several processes, a pause now and then (most short, some
    longer than a student's nap), in which another thread or process runs.
    Each thread draws from a generator seeded by the run's seed and its own
    (and its process's) name, so a seed replays much the same pauses."""
    import random

    own = _own_code()
    several = [False]  # this process forked, was forked, or was spawned
    if "multiprocessing" in " ".join(getattr(sys, "orig_argv", [])):
        several[0] = True
    draws = threading.local()
    threads = threading._active

    def generator():
        made = getattr(draws, "random", None)
        if made is None:
            process = "%s" % (sys.modules.get("multiprocessing") and
                              sys.modules["multiprocessing"].current_process().name)
            made = random.Random("%s/%s/%s" % (seed, process, threading.current_thread().name))
            draws.random = made
        return made

    started = time.monotonic()
    slept = [0.0]  # in pauses, by every thread of this process

    def pause(length):
        # Pauses take at most a share of the time, so that a busy loop is not
        # slowed past it, while a program that naps between steps gets them all.
        if slept[0] > _PAUSE_BUDGET * (time.monotonic() - started) + _PAUSE_START:
            return
        slept[0] += length
        _SLEEP(length)

    def step(frame, event, arg):
        if event == "opcode" and (several[0] or len(threads) > 1):
            maybe_pause()
        return step

    def long_pause():
        # Of a length drawn anew each time, so that two threads that pause
        # alike do not keep step.
        return generator().uniform(_PREEMPT_LONG / 3, _PREEMPT_LONG * 2)

    def maybe_pause():
        draw = generator().random()
        if draw < _PREEMPT_CHANCE:
            pause(long_pause() if draw < _PREEMPT_CHANCE * _LONG_SHARE else _PREEMPT_PAUSE)

    def enter(frame, event, arg):
        if not own(frame.f_code):
            return None
        frame.f_trace_opcodes = True
        return step

    def forked():
        several[0] = True
        draws.__dict__.clear()

    def forking():
        several[0] = True

    ident = threading.get_ident

    def window(caller, among_processes):
        # A race window the program's own code opened: just after it let a
        # lock go, or between two pieces its `print` writes. The standard
        # library's (a pool's queue, threading's own locks) are not the
        # program's windows. Never in a thread still starting or ending, which
        # asking for its name would register as a foreign thread.
        busy = len(threads) > 1 or (among_processes and several[0])
        if not busy or not own(caller.f_code) or ident() not in threads:
            return
        if generator().random() < _WINDOW_CHANCE:
            pause(long_pause())

    os.register_at_fork(before=forking, after_in_child=forked)
    _print_in_pieces(lambda caller: window(caller, True))
    _pausing_locks(lambda caller: window(caller, False))
    _write("preempt %d %s" % (os.getpid(), seed))
    threading.settrace(enter)
    sys.settrace(enter)


def _print_in_pieces(between):
    """Makes `print` what CPython's is, a write of each piece (each argument,
    each separator, the end) to the file, with `between(caller)` called after
    each piece, `caller` being the frame that printed: a point where preemption
    can fall inside a library call, so that two threads' `print(a, b)` mix as
    they may without it, only rarely."""
    import builtins

    def print(*args, sep=" ", end="\n", file=None, flush=False):
        caller = sys._getframe(1)
        if file is None:
            file = sys.stdout
            if file is None:
                return
        for name, value in (("sep", sep), ("end", end)):
            if value is not None and not isinstance(value, str):
                raise TypeError("%s must be None or a string, not %s"
                                % (name, type(value).__name__))
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        for i, arg in enumerate(args):
            if i:
                file.write(sep)
                between(caller)
            file.write(str(arg))
            between(caller)
        file.write(end)
        if flush:
            file.flush()

    print.__doc__ = builtins.print.__doc__
    builtins.print = print


def _pausing_locks(after_release):
    """Makes `threading.Lock()` a lock that calls `after_release(caller)` once
    it is released, with the frame that released it: the moment after a lock
    is let go is where a check-then-act or a print of shared state races, and
    a pause there lets another thread in."""
    import _thread

    allocate = _thread.allocate_lock

    class Lock:
        """A primitive lock, as `threading.Lock` makes one."""

        __slots__ = ("_lock", "__weakref__")

        def __init__(self):
            self._lock = allocate()

        def acquire(self, blocking=True, timeout=-1):
            return self._lock.acquire(blocking, timeout)

        def release(self):
            self._lock.release()
            after_release(sys._getframe(1))

        def locked(self):
            return self._lock.locked()

        def _at_fork_reinit(self):
            self._lock._at_fork_reinit()

        __enter__ = acquire

        def __exit__(self, *exc):
            self._lock.release()
            after_release(sys._getframe(1))

        def __repr__(self):
            return repr(self._lock)

    threading.Lock = Lock


# A pause's chance at each of the program's instructions, and its length: most
# are short, and some are long (from a third to twice _PREEMPT_LONG), past the
# naps (a millisecond or two) students put between steps, so that a window
# between two naps opens too. Just after the program's own code releases a
# `threading.Lock`, and between the pieces its `print` writes, a long pause has
# a chance of its own. Pauses take at most half of the time since the
# module started (so they at most double it), after a first 50 ms.
_PREEMPT_CHANCE = 0.1
_PREEMPT_PAUSE = 100e-6
_LONG_SHARE = 0.3
_PREEMPT_LONG = 3e-3
_WINDOW_CHANCE = 0.5
_PAUSE_BUDGET = 0.5
_PAUSE_START = 50e-3

if _LOG:
    try:
        _start()
    except Exception:
        sys.setprofile(None)
        threading.setprofile(None)
    _SEED = os.environ.get("CONCURRENCY_GRADER_PREEMPT")
    if _SEED:
        try:
            _preempt(_SEED)
        except Exception:
            sys.settrace(None)
            threading.settrace(None)
_chain()
