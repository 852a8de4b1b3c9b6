"""Fresh kernels from one warm process: the report's kernels skip the scientific imports.

Starting a Python kernel and importing pandas, matplotlib and scipy takes about two seconds;
six notebooks pay it six times. The report instead starts one **warm process**
(``python -m lfr_analysis.report.run warm``) that imports, once, the modules the notebooks
import (read from their code cells) and the kernel machinery, then waits. Every kernel, and
every other job of the report (a notebook's driver, the site's data), is a process *forked*
from it: a new process with a new, empty IPython namespace, sharing the already imported
modules (copy-on-write), so a notebook still runs top to bottom on a fresh kernel of its own.
Only the report's processes ask for forks, over a Unix socket in a private folder.

No process outlives the report:

* every forked process is in its own process group (so a signal reaches its own children
  too) and is killed by the kernel when the warm process dies (``PR_SET_PDEATHSIG``);
* the warm process dies with the report (``PR_SET_PDEATHSIG`` again) and, on ``SIGTERM``,
  kills every process group it forked, waits for them and exits;
* the report holds a *pidfd* of each forked process (passed over the socket), so it can
  watch and signal it without any race with the reuse of process ids.

Linux only (``fork``, pidfd, ``prctl``); :func:`available` says whether it can be used, and
the report falls back to ordinary kernels elsewhere.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = [
    "JOB_ENV",
    "SOCKET_ENV",
    "ForkedProcess",
    "WarmProcess",
    "WarmProcessError",
    "available",
    "request",
    "serve",
]

#: Environment variable that gives the forked jobs the warm process's socket.
SOCKET_ENV = "LFR_REPORT_WARM_SOCKET"
#: Environment variable naming the job a kernel is for (in the CPU log, ``cpu.jsonl``).
JOB_ENV = "LFR_REPORT_JOB"

_PR_SET_PDEATHSIG = 1
#: Optional modules the warm process does not import (see :func:`serve`).
_LEAVE_OUT = frozenset({"rfc3987_syntax"})
_MAX_REQUEST = 8 * 1024 * 1024


class WarmProcessError(RuntimeError):
    """The warm process could not start, or refused or failed a request."""


def available() -> bool:
    """Return True where forked kernels work (Linux: fork, pidfd_open, prctl)."""
    return sys.platform.startswith("linux") and hasattr(os, "pidfd_open") and hasattr(os, "fork")


def _die_with_parent(sig: int) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent dies (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


class ForkedProcess:
    """A ``subprocess.Popen``-like handle on a process the warm process forked.

    The report is not the process's parent, so it cannot collect an exit status; it watches
    the process through a pidfd instead. :attr:`returncode` is 0 once the process has ended
    (jobs report their outcome in files, and kernels over their own protocol).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int):
        self.pid = pid
        self.pidfd = pidfd
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and self.pidfd >= 0:
            ready, _, _ = select.select([self.pidfd], [], [], 0)
            if ready:
                self.returncode = 0
                self.close()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None and self.pidfd >= 0:
            ready, _, _ = select.select([self.pidfd], [], [], timeout)
            if not ready:
                raise subprocess.TimeoutExpired(f"process {self.pid}", timeout)
        return self.poll()

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            try:
                signal.pidfd_send_signal(self.pidfd, sig)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def close(self) -> None:
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1


def request(path: str | os.PathLike, message: dict) -> ForkedProcess:
    """Ask the warm process at ``path`` to fork a job; return a handle on it.

    ``message`` is ``{"kind": "kernel", "argv": [...], "env": {...}, "cwd": "..."}`` for a
    kernel (``argv`` as a kernelspec gives it) or ``{"kind": "task", "target":
    "module:function", "args": [...], "env": {...}, "cwd": "..."}`` for a function call.
    """
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as channel:
        channel.connect(os.fspath(path))
        channel.sendall(json.dumps(message).encode() + b"\n")
        reply, fds, _, _ = socket.recv_fds(channel, 65536, 1)
    answer = json.loads(reply or b"{}")
    if "error" in answer or not fds:
        for fd in fds:
            os.close(fd)
        raise WarmProcessError(answer.get("error", "the warm process closed the connection"))
    return ForkedProcess(int(answer["pid"]), fds[0])


class WarmProcess:
    """The report's side of the warm process: start it, ask for forks, stop it.

    Parameters
    ----------
    folder : pathlib.Path
        A private folder for the sockets (created, and removed with what it holds by
        :meth:`stop`).
    env : dict
        The environment of the warm process and so of every job it forks.
    preload : list of str
        Modules to import before the first fork.
    """

    def __init__(self, folder: Path, env: dict, preload: list[str]):
        self.folder = Path(folder)
        self.socket = self.folder / "warm.sock"
        self.env = dict(env)
        self.preload = list(preload)
        self.process: subprocess.Popen | None = None

    def start(self) -> WarmProcess:
        """Start the warm process (returns at once; :meth:`wait_ready` waits for it)."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        command = [sys.executable, "-m", "lfr_analysis.report.run", "warm", str(self.socket)]
        command += [str(os.getpid()), *self.preload]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches the report, which stops it in order
        )
        return self

    def wait_ready(self, timeout: float = 300) -> None:
        """Wait until the warm process accepts requests (it has imported everything)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process is None or self.process.poll() is not None:
                raise WarmProcessError("the warm process exited before it was ready")
            if self.socket.exists():
                try:
                    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                        probe.connect(str(self.socket))
                        probe.sendall(b'{"kind": "ping"}\n')
                        if probe.recv(64).startswith(b'{"ready"'):
                            return
                except OSError:
                    pass
            if time.monotonic() > deadline:
                raise WarmProcessError(f"the warm process was not ready after {timeout:.0f} s")
            time.sleep(0.01)

    def fork(self, message: dict) -> ForkedProcess:
        """Fork a job (see :func:`request`)."""
        return request(self.socket, message)

    def task(
        self, target: str, args: list, env: dict | None = None, cwd=None, label: str = ""
    ) -> ForkedProcess:
        """Fork a process that calls ``target`` (``"module:function"``) with ``args``."""
        message = {"kind": "task", "target": target, "args": list(args), "label": label}
        message["env"] = dict(env if env is not None else self.env)
        message["cwd"] = os.fspath(cwd or os.getcwd())
        return self.fork(message)

    def cpu(self, expected: int = 0, wait: float = 1.0) -> list[dict]:
        """The CPU seconds each ended job used: ``{"job": "kernel 02_...", "cpu": 4.2}``.

        A job's line is written once the warm process has collected it, a moment after it
        ended: wait up to ``wait`` seconds for ``expected`` lines.
        """
        deadline = time.monotonic() + wait
        while True:
            try:
                lines = (self.folder / "cpu.jsonl").read_text(encoding="utf-8").splitlines()
            except OSError:
                lines = []
            found = [json.loads(line) for line in lines if line.strip()]
            if len(found) >= expected or time.monotonic() > deadline:
                return found
            time.sleep(0.01)

    def stop(self, timeout: float = 10) -> None:
        """Stop the warm process and every process it forked; remove the socket's folder."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()  # its children die with it (PR_SET_PDEATHSIG)
                process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)  # the sockets of every kernel too


# --------------------------------------------------------------------------- the warm process


def _child_setup(zygote: int, message: dict) -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        os.setpgid(0, 0)
    except OSError:
        pass  # the warm process made it a group leader already
    _die_with_parent(signal.SIGKILL)
    if os.getppid() != zygote:
        os._exit(1)
    os.chdir(message["cwd"])
    os.environ.clear()
    os.environ.update(message["env"])


def _run_kernel(zygote: int, message: dict) -> int:
    argv = list(message["argv"])
    os.environ["JPY_PARENT_PID"] = str(zygote)  # the kernel's parent poller watches us
    if argv[1:3] != ["-m", "ipykernel_launcher"]:
        os.execvpe(argv[0], argv, os.environ)  # not an ipykernel command: run it as given
    if sys.path and sys.path[0] in ("", os.getcwd(), os.environ.get("PWD", "")):
        del sys.path[0]  # as ipykernel_launcher does; the shell adds the notebook's folder
    # the kernel's parent poller watches the warm process (the class default was read from
    # the environment when the warm process imported it, so say it on the command line)
    arguments = [*argv[3:], f"--IPKernelApp.parent_handle={zygote}"]
    sys.argv = [argv[0], *arguments]
    # nobody attaches a debugger to a report's kernel: without debugpy (a sixth of a
    # second to import, in every kernel) ipykernel starts one without a debugger
    if "debugpy" not in sys.modules:
        sys.modules["debugpy"] = None
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=arguments)
    return 0


def _run_task(message: dict) -> int:
    module_name, _, function_name = message["target"].partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    function(*message.get("args", []))
    return 0


def _child(zygote: int, message: dict) -> None:
    code = 1
    try:
        _child_setup(zygote, message)
        code = _run_kernel(zygote, message) if message["kind"] == "kernel" else _run_task(message)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # a job that fails says why on stderr, then ends
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


def serve(path: str, parent: int, preload: list[str]) -> None:
    """Run the warm process: import ``preload``, then fork a job per request on ``path``."""
    _die_with_parent(signal.SIGTERM)
    if os.getppid() != parent:
        sys.exit(1)  # the report is gone already
    # jsonschema, which nbformat imports, builds an IRI grammar when the optional
    # rfc3987_syntax is installed (1.6 s); nothing the report runs checks IRIs, so it is
    # left out while the warm process imports, and importable again in every job
    blocked = _LEAVE_OUT.difference(sys.modules)
    sys.modules.update(dict.fromkeys(blocked))
    try:
        for name in preload:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the notebook that needs it reports the error
                pass
        importlib.import_module("ipykernel.kernelapp")
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    zygote, children = os.getpid(), set()

    labels: dict[int, str] = {}
    usage = Path(path).with_name("cpu.jsonl")

    def reap(*_):
        while True:
            try:
                pid, _, used = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)
            seconds = round(used.ru_utime + used.ru_stime, 3)
            record = json.dumps({"job": labels.pop(pid, ""), "cpu": seconds}) + "\n"
            with open(usage, "a", encoding="utf-8") as log:  # the CPU each job used
                log.write(record)

    def stop(*_):
        for pid in list(children):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in list(children):
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
        Path(path).unlink(missing_ok=True)
        os._exit(0)

    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(16)
    while True:
        connection, _ = listener.accept()
        with connection:
            data = b""
            while not data.endswith(b"\n") and len(data) < _MAX_REQUEST:
                chunk = connection.recv(1 << 16)
                if not chunk:
                    break
                data += chunk
            try:
                message = json.loads(data)
            except ValueError:
                connection.sendall(b'{"error": "not a request"}')
                continue
            if message.get("kind") == "ping":
                connection.sendall(b'{"ready": true}')
                continue
            if message.get("kind") not in ("kernel", "task"):
                connection.sendall(b'{"error": "unknown kind of request"}')
                continue
            # SIGCHLD waits until the child is known and has a pidfd: it cannot be reaped
            # (and its id reused) before the report holds it
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
            pid = os.fork()
            if pid == 0:
                listener.close()
                connection.close()
                _child(zygote, message)
            children.add(pid)
            labels[pid] = f"{message['kind']} {message.get('label', '')}".strip()
            try:
                os.setpgid(pid, pid)
            except OSError:
                pass
            pidfd = os.pidfd_open(pid)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            try:
                socket.send_fds(connection, [json.dumps({"pid": pid}).encode()], [pidfd])
            finally:
                os.close(pidfd)
