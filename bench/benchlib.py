"""Shared pieces of the benchmark scripts: servers on free loopback ports, a small RESP client,
per-process CPU and memory readings from /proc, machine facts, output folders.

Standard library only (python3 3.9+). Linux only: CPU and RSS come from /proc.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
LAUNCHER = ROOT / "bin" / "redstart-server"


class ServerGone(Exception):
    """A server process ended while a benchmark needed it."""

    def __init__(self, server: "Server", message: str):
        super().__init__(message)
        self.server = server


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def die(msg: str) -> None:
    log(f"error: {msg}")
    sys.exit(2)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- RESP -----------------------------------------------------------------------------------


class RespError(Exception):
    """An error reply (-ERR ...)."""


def encode(*args) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


class Client:
    """A blocking RESP2 client, enough for setup and readings (not for load)."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 30.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _fill(self) -> None:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("connection closed by the server")
        self.buf += chunk

    def _line(self) -> bytes:
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 2 :]
                return line
            self._fill()

    def _exact(self, n: int) -> bytes:
        while len(self.buf) < n + 2:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n + 2 :]
        return data

    def read_reply(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return RespError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.read_reply() for _ in range(n)]
        raise ConnectionError(f"unexpected reply line {line[:60]!r}")

    def call(self, *args):
        """Sends one command; returns its reply, an error reply as a RespError value."""
        self.sock.sendall(encode(*args))
        return self.read_reply()

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)


def info_fields(port: int, section: str = "memory") -> dict[str, str]:
    """INFO <section> as a dict; empty when the server does not answer INFO."""
    try:
        with Client(port) as c:
            r = c.call("INFO", section)
    except OSError:
        return {}
    if not isinstance(r, bytes):
        return {}
    out = {}
    for line in r.decode(errors="replace").splitlines():
        if ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            out[k.strip()] = v.strip()
    return out


# --- /proc readings ---------------------------------------------------------------------------


def cpu_ns(pid: int) -> int:
    """Nanoseconds on CPU of all live threads of pid (first field of /proc/PID/task/*/schedstat).

    GC and JIT threads count. A thread that exits between two readings drops out; see
    cpu_ticks_ns for a coarse reading that keeps them."""
    total = 0
    task_dir = f"/proc/{pid}/task"
    for tid in os.listdir(task_dir):
        try:
            with open(f"{task_dir}/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            pass  # the thread ended meanwhile
    return total


_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_ticks_ns(pid: int) -> int:
    """utime + stime of the whole process (exited threads included), in ns, at tick resolution."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // _CLK_TCK


def machine_busy_ns() -> int:
    """CPU time spent busy by the whole machine (all CPUs), from the first line of /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = v
    return (user + nice + system + irq + softirq + steal) * 1_000_000_000 // _CLK_TCK


def children_cpu_ns() -> int:
    """CPU time of this process's waited-for children (redis-benchmark runs)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return int((r.ru_utime + r.ru_stime) * 1e9)


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


# --- Servers -------------------------------------------------------------------------------------


def redis_server_path() -> str:
    p = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
    if not p:
        die("redis-server is not on the PATH (Debian: apt-get install redis-server), or set REDIS_SERVER")
    return p


def tool_path(name: str) -> str:
    p = shutil.which(name)
    if not p:
        die(f"{name} is not on the PATH (Debian: apt-get install redis-tools)")
    return p


def build_redstart(java_opts: str = "") -> None:
    """Builds the jar now (through the launcher) so that no server start waits for Maven."""
    env = dict(os.environ)
    if java_opts:
        env["REDSTART_JAVA_OPTS"] = java_opts
    r = subprocess.run(
        [str(LAUNCHER), "--version"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if r.returncode != 0:
        die(f"bin/redstart-server --version failed:\n{r.stdout}")
    log(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else "redstart built")


class Server:
    """A server process on a free loopback port. kind is 'redis' or 'redstart'."""

    def __init__(self, kind: str, label: str, log_dir: Path, java_opts: str = "", extra_args=()):
        self.kind = kind
        self.label = label
        self.java_opts = java_opts
        self.extra_args = list(extra_args)
        self.log_path = log_dir / f"{label}.log"
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.pid = 0
        self.failures: list[str] = []
        self.restarts: list[str] = []

    def command_line(self) -> list[str]:
        common = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        if self.kind == "redis":
            return [redis_server_path(), *common, *self.extra_args]
        return [str(LAUNCHER), *common, *self.extra_args]

    def start(self, timeout: float = 120.0) -> None:
        self.port = free_port()
        env = dict(os.environ)
        if self.kind == "redstart":
            env["REDSTART_JAVA_OPTS"] = self.java_opts
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        logf = open(self.log_path, "ab")
        # Its own process group: stop() ends exactly this group, nothing else.
        self.proc = subprocess.Popen(
            self.command_line(),
            stdin=subprocess.DEVNULL,
            stdout=logf,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            cwd=str(self.log_path.parent),
        )
        logf.close()
        self.pid = self.proc.pid
        _live.append(self)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                die(f"{self.label} exited with {self.proc.returncode} at start; log:\n{self.log_tail()}")
            try:
                with Client(self.port, timeout=2) as c:
                    if c.call("PING") == "PONG":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                die(f"{self.label} did not answer PING within {timeout:.0f}s; log:\n{self.log_tail()}")
            time.sleep(0.1)
        # The launcher execs java, so the pid is the JVM's; check it to be sure readings are right.
        exe = os.path.basename(os.readlink(f"/proc/{self.pid}/exe"))
        log(f"started {self.label} (pid {self.pid}, {exe}) on port {self.port}")

    def run_client(self, cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
        """Runs a load tool against this server: stops it (and the benchmark) as soon as the server
        is gone, since redis-benchmark retries a refused connection for ever; TimeoutExpired after
        timeout seconds."""
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    out, err = p.communicate(timeout=0.5)
                    return subprocess.CompletedProcess(cmd, p.returncode, out, err)
                except subprocess.TimeoutExpired:
                    pass
                if self.proc and self.proc.poll() is not None:
                    p.kill()
                    p.communicate()
                    self.check_alive()
                if time.monotonic() > deadline:
                    p.kill()
                    p.communicate()
                    raise subprocess.TimeoutExpired(cmd, timeout)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()

    def check_alive(self) -> None:
        """Raises ServerGone, with the server's log, when the server process has ended."""
        if self.proc and self.proc.poll() is not None:
            if self in _live:
                _live.remove(self)
            rc = self.proc.returncode
            sig = -rc if rc < 0 else rc - 128 if rc > 128 else 0  # a JVM exits with 128+n on signal n
            how = f"was stopped by signal {sig} from outside the benchmark" if sig else f"exited with {rc}"
            raise ServerGone(self, f"{self.label} (pid {self.pid}) {how}; log:\n{self.log_tail()}")

    def log_tail(self, n: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def cpu_ns(self) -> int:
        return cpu_ns(self.pid)

    def cpu_ticks_ns(self) -> int:
        return cpu_ticks_ns(self.pid)

    def rss(self) -> int:
        return rss_bytes(self.pid)

    def jvm_tool(self, name: str) -> str | None:
        """A JDK tool (jcmd ...) of the JDK running this server, else one on the PATH."""
        try:
            home_bin = os.path.dirname(os.readlink(f"/proc/{self.pid}/exe"))
            p = os.path.join(home_bin, name)
            if os.access(p, os.X_OK):
                return p
        except OSError:
            pass
        return shutil.which(name)

    def jcmd(self, *args: str, timeout: float = 120) -> str | None:
        jcmd = self.jvm_tool("jcmd")
        if not jcmd:
            return None
        r = subprocess.run(
            [jcmd, str(self.pid), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout
        )
        return r.stdout if r.returncode == 0 else None

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            if self in _live:
                _live.remove(self)
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=15)
        if self in _live:
            _live.remove(self)


_live: list[Server] = []


def stop_all() -> None:
    for s in list(_live):
        try:
            s.stop()
        except Exception as e:  # keep stopping the others
            log(f"could not stop {s.label}: {e}")


def _on_signal(signum, frame):
    stop_all()
    sys.exit(128 + signum)


def install_cleanup() -> None:
    """Servers are stopped on normal exit, on errors and on SIGTERM/SIGHUP/SIGINT."""
    import atexit

    atexit.register(stop_all)
    for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(s, _on_signal)


# --- Facts about the run ------------------------------------------------------------------------


def _cmd_out(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_info() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    redis_v = re.search(r"v=(\S+)", _cmd_out([redis_server_path(), "--version"]))
    dry = subprocess.run(
        [str(LAUNCHER)], env={**os.environ, "REDSTART_LAUNCHER_DRY_RUN": "1"}, stdout=subprocess.PIPE, text=True
    ).stdout.splitlines()
    java = dry[0] if dry else "java"
    java_v = _cmd_out([java, "-version"]).splitlines()
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_bytes": mem,
        "kernel": platform.release(),
        "redis_version": redis_v.group(1) if redis_v else "",
        "java": java_v[1] if len(java_v) > 1 else (java_v[0] if java_v else ""),
        "redstart_commit": _cmd_out(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
    }


def launcher_flags(java_opts: str, extra_args=()) -> list[str]:
    """The JVM flags bin/redstart-server would use (its dry run)."""
    env = {**os.environ, "REDSTART_LAUNCHER_DRY_RUN": "1", "REDSTART_JAVA_OPTS": java_opts}
    out = subprocess.run([str(LAUNCHER), *extra_args], env=env, stdout=subprocess.PIPE, text=True).stdout.splitlines()
    if "-jar" in out:
        return out[1 : out.index("-jar")]
    return out[1:]


def run_dir(prefix: str) -> Path:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    d = OUT_DIR / f"{prefix}-{stamp}"
    d.mkdir(parents=True, exist_ok=True)
    return d


def parse_variants(values: list[str] | None, single_opts: str | None) -> list[tuple[str, str]]:
    """--variant LABEL=FLAGS (repeatable) or --redstart-opts FLAGS; default: one plain Redstart."""
    if values:
        out = []
        for v in values:
            if "=" not in v:
                die(f"--variant wants LABEL=JVM-FLAGS, got {v!r}")
            label, opts = v.split("=", 1)
            if not re.fullmatch(r"[A-Za-z0-9_.+-]+", label) or label == "redis":
                die(f"bad variant label {label!r}")
            out.append((label, opts))
        return out
    return [("redstart", single_opts or "")]
