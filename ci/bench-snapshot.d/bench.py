#!/usr/bin/env python3
"""The snapshot benchmark behind ci/bench-snapshot (see ci/bench-snapshot.md).

Runs jbhyve and QEMU on the same Multiboot guest (test-guests' touch-mb) and measures, in one run:

1. checkpoint of a running 1 GiB guest with 256 MiB touched: jbhyve's `bhyvectl --checkpoint` (the
   command, and the request alone from an already running client JVM), QEMU 7.2's
   `migrate "exec:cat > FILE"` (to 'completed', and with the file fsynced), and the floor, `dd` of
   the 256 MiB the guest touched with conv=fsync (and of 256 MiB of random bytes); times, file sizes,
   and the VMMs' resident memory;
2. restore of 256 MiB, 1 GiB and 4 GiB guests with 64 MiB touched, until the guest's first output
   after the restore: `bhyve -r` against `qemu -incoming "exec:cat FILE"`, both from process start,
   and both with the VMM process already running (jbhyve: bhyve's entry point called in a warm JVM,
   and a standby bhyve (`-o restore.standby=true`) sent a restore request on its control socket;
   QEMU: `-incoming defer` + QMP `migrate-incoming`, from `exec:cat FILE` and from the file itself,
   `fd:` after `getfd`); and, with the process already running, until the VMM says the guest runs
   (jbhyve standby: the reply to the request, and its own "the guest runs again N ms" line; QEMU: the
   RESUME event);
   one such series for each --touched entry: by default guests with 64 MiB touched (RAM size is the
   only variable), then guests that touched all the RAM touch-mb reaches (from 16 MiB to the end of RAM
   below 3 GiB: what QEMU's stream has to carry grows with it, jbhyve's mapped file does not), then
   the series side by side.

Called by ci/bench-snapshot with everything built; not meant to be run by hand (see --help there).
"""
import argparse
import errno
import json
import os
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import traceback

MiB = 1 << 20


def now():
    return time.monotonic_ns()


def ms(ns):
    return ns / 1e6


class Failure(Exception):
    """A step that did not do what it must: the run stops with this one sentence."""


# ---------------------------------------------------------------------------------------------
# Child processes: every one in its own process group, its output lines timestamped on arrival.

PROCS = []


class Proc:
    """A child process in its own process group; what it writes is kept as timestamped chunks (as read
    from the pipe) and as lines, each line stamped with the arrival of the chunk that ended it."""

    def __init__(self, name, argv, stdin=subprocess.DEVNULL, env=None, pass_fds=()):
        self.name = name
        self.argv = argv
        self.chunks = {"out": [], "err": []}
        self.lines = {"out": [], "err": []}
        self.cv = threading.Condition()
        self.closed = {"out": False, "err": False}
        self.t_spawn = now()
        self.p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  start_new_session=True, env=env, pass_fds=pass_fds)
        PROCS.append(self)
        for key, stream in (("out", self.p.stdout), ("err", self.p.stderr)):
            threading.Thread(target=self._pump, args=(key, stream.fileno()), daemon=True).start()

    def _pump(self, key, fd):
        partial = b""
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            t = now()
            with self.cv:
                if not data:
                    self.closed[key] = True
                    self.cv.notify_all()
                    return
                self.chunks[key].append((t, data))
                *complete, partial = (partial + data).split(b"\n")
                for c in complete:
                    self.lines[key].append((t, c.decode("utf-8", "replace").rstrip("\r")))
                self.cv.notify_all()

    def _wait(self, find, timeout, what):
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                found = find()
                if found is not None:
                    return found
                if all(self.closed.values()) and self.p.poll() is not None:
                    raise Failure("%s ended (status %s) before %s; its stderr ends with:\n%s"
                                  % (self.name, self.p.returncode, what, self.tail()))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure("%s: no %s within %d s; its stderr ends with:\n%s"
                                  % (self.name, what, timeout, self.tail()))
                self.cv.wait(min(left, 0.5))

    def wait_line(self, pred, key="out", after=0, timeout=120, what=None):
        """The first (time, line) of stream `key` completed after `after` for which pred(line) holds."""
        lines = self.lines[key]

        def find():
            for t, line in lines:
                if t >= after and pred(line):
                    return t, line
            return None
        return self._wait(find, timeout, what or "expected output")

    def wait_output(self, after, timeout=120, what=None):
        """(time, text) of the first stdout bytes read after `after`: the time they arrived, and the text
        from them up to the next newline (waiting for it). Bytes before `after`, such as the unended
        line of a VM that ran earlier on the same stdout, are not part of it."""
        chunks = self.chunks["out"]

        def find():
            got = [(t, d) for t, d in chunks if t >= after]
            if not got:
                return None
            text = b"".join(d for _, d in got)
            if b"\n" not in text:
                return None
            return got[0][0], text.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
        return self._wait(find, timeout, what or "output")

    def tail(self, n=15):
        with self.cv:
            return "\n".join("  " + l for _, l in self.lines["err"][-n:]) or "  (nothing)"

    def kill(self):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            pass
        if self in PROCS:
            PROCS.remove(self)


def kill_all():
    for p in list(PROCS):
        p.kill()


# ---------------------------------------------------------------------------------------------
# QEMU's QMP, just enough of it.

class Qmp:
    def __init__(self, path, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                self.sock.close()
                if time.monotonic() > deadline:
                    raise Failure("QEMU's QMP socket %s did not come up within %d s" % (path, timeout))
                time.sleep(0.02)
        self.file = self.sock.makefile("rwb", buffering=0)
        self.events = []
        self._read()  # the greeting
        self.execute("qmp_capabilities")

    def _read(self):
        line = self.file.readline()
        if not line:
            raise Failure("QEMU closed its QMP socket")
        msg = json.loads(line)
        if "event" in msg:
            self.events.append((now(), msg))
        return msg

    def execute(self, command, **arguments):
        req = {"execute": command}
        if arguments:
            req["arguments"] = arguments
        self.file.write((json.dumps(req) + "\n").encode())
        while True:
            msg = self._read()
            if "return" in msg:
                return msg["return"]
            if "error" in msg:
                raise Failure("QEMU refused %s: %s" % (command, msg["error"].get("desc", msg["error"])))

    def pass_fd(self, fd, name):
        """getfd: hands QEMU an open descriptor (SCM_RIGHTS) under `name`, for a 'fd:NAME' URI."""
        req = json.dumps({"execute": "getfd", "arguments": {"fdname": name}}).encode() + b"\n"
        self.sock.sendmsg([req], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, struct.pack("i", fd))])
        while True:
            msg = self._read()
            if "return" in msg:
                return
            if "error" in msg:
                raise Failure("QEMU refused getfd: %s" % msg["error"].get("desc", msg["error"]))

    def wait_migration(self, after, timeout=300):
        """Time of the MIGRATION event with status completed received after `after`."""
        self.sock.settimeout(timeout)
        try:
            while True:
                for t, msg in self.events:
                    if t >= after and msg["event"] == "MIGRATION":
                        status = msg["data"]["status"]
                        if status == "completed":
                            return t
                        if status in ("failed", "cancelled"):
                            raise Failure("QEMU's migration ended with status %s" % status)
                self._read()
        except socket.timeout:
            raise Failure("QEMU's migration did not complete within %d s" % timeout)
        finally:
            self.sock.settimeout(None)

    def wait_event(self, name, after, timeout=300):
        """Time of the first event `name` received after `after` (read from the socket as it arrives:
        call this while nothing else is being waited for, or the time is when it was read)."""
        self.sock.settimeout(timeout)
        try:
            while True:
                for t, msg in self.events:
                    if t >= after and msg["event"] == name:
                        return t
                self._read()
        except socket.timeout:
            raise Failure("QEMU sent no %s event within %d s" % (name, timeout))
        finally:
            self.sock.settimeout(None)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def mem_mib(size):
    """MiB of a -m size such as 256M, 1G or 4096 (bhyve's and QEMU's bare numbers are MiB)."""
    m = re.fullmatch(r"([0-9]+)([KkMmGgTt]?)", size)
    if not m:
        raise ValueError("not a memory size: %s" % size)
    n, unit = int(m.group(1)), m.group(2).upper()
    return {"K": n // 1024, "": n, "M": n, "G": n << 10, "T": n << 20}[unit]


def rss_mib(pid):
    """The process's resident memory (VmRSS) in MiB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------------------------------------
# jbhyve's control socket: libnv's nvlist (lib/libnv/nvlist.c), just the string and number pairs a
# restore request and its reply hold. Header: magic 0x6c, version 0, flags, descriptor count (u64),
# body size (u64); each pair: type (u8), name size (u16), data size (u64), item count (u64), the name
# with its NUL, the data. Little-endian unless flags has 0x80.

NV_NUMBER, NV_STRING = 3, 4


def nv_pack_strings(pairs):
    body = b""
    for name, value in pairs:
        n, v = name.encode(), value.encode()
        body += struct.pack("<BHQQ", NV_STRING, len(n) + 1, len(v) + 1, 0) + n + b"\0" + v + b"\0"
    return struct.pack("<BBBQQ", 0x6c, 0, 0, 0, len(body)) + body


def nv_unpack(header, body):
    """{name: value} of a top-level nvlist: numbers as int, strings as str, anything else as bytes."""
    magic, version, flags, _, size = struct.unpack("<BBBQQ", header)
    if magic != 0x6c or version != 0:
        raise ValueError("not an nvlist (magic 0x%x, version %d)" % (magic, version))
    e = ">" if flags & 0x80 else "<"
    out, off = {}, 0
    while off < len(body):
        kind, nsize, dsize, _ = struct.unpack_from(e + "BHQQ", body, off)
        off += 19
        name = body[off:off + nsize].rstrip(b"\0").decode()
        off += nsize
        data = body[off:off + dsize]
        off += dsize
        if kind == NV_NUMBER:
            out[name] = struct.unpack(e + "Q", data)[0]
        elif kind == NV_STRING:
            out[name] = data.rstrip(b"\0").decode("utf-8", "replace")
        else:
            out[name] = data
    return out


def recv_exactly(sock, n, what):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise Failure("the connection closed after %d of the %d bytes of %s" % (len(data), n, what))
        data += chunk
    return data


def children_of(pid):
    kids = []
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                kids += [int(k) for k in f.read().split()]
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


def wait_no_children(pid, timeout=60):
    deadline = time.monotonic() + timeout
    while children_of(pid):
        if time.monotonic() > deadline:
            raise Failure("QEMU's migration helper (exec:cat) did not exit within %d s" % timeout)
        time.sleep(0.001)


# ---------------------------------------------------------------------------------------------

class Bench:
    # The most touch=<MiB> touch-mb takes (TOUCH_MAX_MIB in test-guests' touch.h): 16 MiB + 3056 MiB = 3 GiB,
    # the end of RAM below the PCI hole. It runs in 32-bit protected mode without paging, so RAM above
    # 4 GiB (what a guest has beyond 3 GiB: the last GiB of a 4 GiB guest) is out of its reach.
    TOUCH_MAX_MIB = 3056
    # bin/bhyve's JVM options (JBHYVE_PRINT_JAVA=1 bin/bhyve shows them), less its class path and AOT
    # cache: the warm-JVM runner and the JVM floor start with these.
    JVM_OPTIONS = ["--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xss1m", "-Xlog:disable",
                   "-Xlog:all=warning,aot*=off:stderr"]

    def __init__(self, a):
        self.a = a
        self.work = a.work
        self.ctl = os.path.join(a.work, "control")
        os.mkdir(self.ctl, 0o700)
        self.results = {}
        self.seq = 0

    # -- helpers --------------------------------------------------------------------------------

    def log(self, msg):
        print(msg, flush=True)

    def path(self, name):
        return os.path.join(self.work, name)

    def name(self, prefix):
        self.seq += 1
        return "%s-%d" % (prefix, self.seq)

    def rm(self, *paths):
        for p in paths:
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass

    def settle(self):
        """Writes back what is dirty on the work directory's file system and commits its journal (and
        with it the discards of files just deleted, on a file system mounted with -o discard such as
        the root file system of the machines this was written on), so that a timed write does not pay
        for an earlier one."""
        subprocess.run(["sync", "-f", self.work], check=True)

    def sizes_of(self, path):
        st = os.stat(path)
        return st.st_size, st.st_blocks * 512

    def jbhyve_options(self, mem, touch_mib):
        """The options of the VM the benchmark boots in jbhyve (without its name)."""
        return ["-c", "1", "-m", mem, "-s", "0,hostbridge", "-s", "31,lpc", "-l", "com1,stdio",
                "-o", "boot.kernel=" + self.a.guest, "-o", "boot.cmdline=touch=%d" % touch_mib,
                "-o", "control.dir=" + self.ctl]

    def jbhyve_boot(self, mem, touch_mib, clamp_ok=False):
        vm = self.name("jb")
        p = Proc("bhyve (%s, %s)" % (vm, mem), [self.a.bhyve] + self.jbhyve_options(mem, touch_mib) + [vm])
        self.wait_touched(p, touch_mib, clamp_ok)
        return vm, p

    def qemu_argv(self, mem, touch_mib, extra):
        return [self.a.qemu, "-enable-kvm", "-cpu", "host,-arch-capabilities", "-m", mem, "-nodefaults",
                "-display", "none", "-serial", "stdio", "-no-reboot",
                "-kernel", self.a.guest, "-append", "touch=%d" % touch_mib] + extra

    def qemu_boot(self, mem, touch_mib, clamp_ok=False):
        qmp_path = self.path(self.name("qmp") + ".sock")
        p = Proc("qemu (%s)" % mem, self.qemu_argv(mem, touch_mib, ["-qmp", "unix:%s,server=on,wait=off" % qmp_path]))
        self.wait_touched(p, touch_mib, clamp_ok)
        qmp = Qmp(qmp_path)
        qmp.execute("migrate-set-capabilities", capabilities=[{"capability": "events", "state": True}])
        # Unlimited bandwidth, as libvirt sets it for a save to a file (QEMU's default is 128 MiB/s).
        qmp.execute("migrate-set-parameters", **{"max-bandwidth": 1 << 40})
        return p, qmp

    def wait_touched(self, p, touch_mib, clamp_ok=False):
        """Waits for the guest's 'touched N MiB' (and a tick after it) and keeps N as p.touched. N must be
        `touch_mib`, unless `clamp_ok`: then the guest may first say 'clamped to N MiB: RAM ends at ...'
        (it was asked for more than it has below the PCI hole) and N is what it touched."""
        t, line = p.wait_line(lambda l: l.startswith("touched ") or l.startswith("exception")
                              or (l.startswith("clamped") and not clamp_ok), timeout=300,
                              what="'touched %d MiB'" % touch_mib)
        m = re.fullmatch(r"touched ([0-9]+) MiB", line)
        if not m or (not clamp_ok and int(m.group(1)) != touch_mib):
            raise Failure("%s: the guest said '%s', expected 'touched %d MiB'" % (p.name, line, touch_mib))
        p.touched = int(m.group(1))
        p.wait_line(lambda l: l.startswith("tick "), after=t, what="a tick after touching")

    def wait_tick(self, p, after, what):
        return p.wait_line(lambda l: l.startswith("tick "), after=after, timeout=60, what=what)

    def qemu_migrate(self, p, qmp, path):
        """migrate to `path`; returns (ns to 'completed', ns to completed + file fsynced)."""
        self.rm(path)
        self.settle()
        t0 = now()
        qmp.execute("migrate", uri="exec:cat > '%s'" % path)
        t1 = qmp.wait_migration(t0)
        wait_no_children(p.p.pid)  # the cat that writes the file
        fd = os.open(path, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
        t2 = now()
        return t1 - t0, t2 - t0

    def runner(self, label):
        fifo = self.path(self.name("requests") + ".fifo")
        os.mkfifo(fifo, 0o600)
        argv = [self.a.java] + self.JVM_OPTIONS + [
                "-cp", self.a.runner_cp, "org.jbhyve.bench.snapshot.InProcessRunner", fifo]
        p = Proc(label, argv)
        deadline = time.monotonic() + 120
        while True:  # the runner opens its end once its JVM is up; a plain open would wait for ever if it died
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as e:
                if e.errno != errno.ENXIO:
                    raise
                if p.p.poll() is not None or time.monotonic() > deadline:
                    raise Failure("%s did not start (status %s); its stderr ends with:\n%s"
                                  % (label, p.p.poll(), p.tail()))
                time.sleep(0.01)
        os.set_blocking(fd, True)
        return p, os.fdopen(fd, "w", buffering=1)

    def runner_call(self, p, requests, id_, mode, main, args, wait_end=True, timeout=300):
        t_sent = now()
        requests.write("\t".join([id_, mode, main] + args) + "\n")
        t_start, line = p.wait_line(lambda l: l.startswith("inproc: start %s " % id_), key="err", after=t_sent,
                                    what="the start of request %s" % id_)
        start = int(line.split()[3])
        if not wait_end:
            return start, None, None
        end, status = self.runner_end(p, id_, t_sent, timeout)
        return start, end, status

    def runner_end(self, p, id_, after, timeout=300):
        t, line = p.wait_line(lambda l: l.startswith("inproc: end %s " % id_), key="err", after=after,
                              timeout=timeout, what="the end of request %s" % id_)
        f = line.split()
        return int(f[3]), int(f[4])

    # -- 1. checkpoint --------------------------------------------------------------------------

    def checkpoint(self):
        a = self.a
        touched = 256
        self.log("checkpoint: booting a 1 GiB guest touching %d MiB in jbhyve and in QEMU..." % touched)
        vm, jb = self.jbhyve_boot("1G", touched)
        qp, qmp = self.qemu_boot("1G", touched)
        client, requests = self.runner("bhyvectl in a warm JVM")
        self.runner_call(client, requests, "warmup", "fg", "org.jbhyve.bhyvectl.Main",
                         ["--vm=" + vm, "--control-dir=" + self.ctl, "--get-stats"])

        # What dd copies, from files cached in memory and already on disk: the touched pages' contents
        # (page i holds i + 1 as a little-endian u32, then zeros: what the guest wrote, and what both
        # VMMs write), and as a reference the same amount of random bytes, which no storage layer
        # can compress.
        src, src_random = self.path("dd-source-pages"), self.path("dd-source-random")
        with open(src, "wb") as f, open(src_random, "wb") as g:
            for m in range(touched):
                chunk = bytearray(MiB)
                for page in range(256):
                    struct.pack_into("<I", chunk, page * 4096, m * 256 + page + 1)
                f.write(chunk)
                g.write(os.urandom(MiB))
            for h in (f, g):
                h.flush()
                os.fsync(h.fileno())
        dd_out, jb_file, jb_file2, q_file = (self.path(n) for n in ("dd.out", "ckpt.jbs", "ckpt-warm.jbs", "ckpt.qemu"))

        rss_before = (rss_mib(jb.p.pid), rss_mib(qp.p.pid))
        keys = ("dd", "dd_random", "bhyvectl", "request", "qemu", "qemu_fsync", "paused", "qemu_downtime")
        r, first = {k: [] for k in keys}, {k: [] for k in keys}
        sizes = {}

        def dd(rr, key, source):
            self.rm(dd_out)
            self.settle()
            t0 = now()
            subprocess.run(["dd", "if=" + source, "of=" + dd_out, "bs=1M", "count=%d" % touched, "conv=fsync",
                            "status=none"], check=True)
            rr[key].append(now() - t0)
            sizes[key] = self.sizes_of(dd_out)
            self.rm(dd_out)

        def bhyvectl(rr, i):
            self.rm(jb_file)
            self.settle()
            t0 = now()
            out = subprocess.run([a.bhyvectl, "--vm=" + vm, "--control-dir=" + self.ctl, "--checkpoint=" + jb_file],
                                 capture_output=True, text=True)
            t1 = now()
            if out.returncode != 0:
                raise Failure("bhyvectl --checkpoint failed (status %d): %s" % (out.returncode, out.stderr.strip()))
            rr["bhyvectl"].append(t1 - t0)
            paused = re.search(r"the guest was paused for ([0-9.]+) ms", out.stdout)
            if not paused:
                raise Failure("bhyvectl --checkpoint did not say how long the guest was paused: %s" % out.stdout.strip())
            rr["paused"].append(float(paused.group(1)) * 1e6)  # ns, as the other series
            sizes["jbhyve"] = self.sizes_of(jb_file)
            self.wait_tick(jb, t1, "a tick after the checkpoint (the VM keeps running)")

        def request(rr, i):
            self.rm(jb_file2)
            self.settle()
            start, end, status = self.runner_call(client, requests, "ckpt%d" % i, "fg", "org.jbhyve.bhyvectl.Main",
                                                  ["--vm=" + vm, "--control-dir=" + self.ctl,
                                                   "--checkpoint=" + jb_file2])
            if status != 0:
                raise Failure("the in-JVM bhyvectl --checkpoint failed (status %d):\n%s" % (status, client.tail()))
            rr["request"].append(end - start)
            self.wait_tick(jb, now(), "a tick after the checkpoint (the VM keeps running)")
            if i == 0:
                out = subprocess.run([a.bhyvectl, "--verify=" + jb_file2], capture_output=True, text=True)
                if out.returncode != 0:
                    raise Failure("bhyvectl --verify %s failed: %s" % (jb_file2, (out.stdout + out.stderr).strip()))
            self.rm(jb_file2)

        def qemu(rr, i):
            done, synced = self.qemu_migrate(qp, qmp, q_file)
            rr["qemu"].append(done)
            rr["qemu_fsync"].append(synced)
            sizes["qemu"] = self.sizes_of(q_file)
            info = qmp.execute("query-migrate")
            sizes["qemu_info"] = (info.get("total-time"), info.get("downtime"))
            if info.get("downtime") is not None:
                rr["qemu_downtime"].append(info["downtime"] * 1e6)
            t_cont = now()
            qmp.execute("cont")
            self.wait_tick(qp, t_cont, "a tick after 'cont'")

        # Round 0 warms up and is reported apart: the first big write on this file system, and a VMM's
        # first checkpoint (class loading, JIT, and in jbhyve the first read of never-touched guest
        # RAM), are slower than the rest.
        steps = [lambda rr, i: dd(rr, "dd", src), lambda rr, i: dd(rr, "dd_random", src_random), bhyvectl, request, qemu]
        for i in range(a.runs + 1):
            rr = first if i == 0 else r
            self.log("checkpoint: %s (dd, bhyvectl --checkpoint, the request in a warm JVM, QEMU migrate)..."
                     % ("round 0, warm-up" if i == 0 else "run %d of %d" % (i, a.runs)))
            # A different step goes first in each run: whatever the previous step leaves behind (the
            # file system's discards of deleted files, writeback) does not always fall on the same one.
            for k in range(len(steps)):
                steps[(k + i) % len(steps)](rr, i)
        sizes["rss"] = rss_before + (rss_mib(jb.p.pid), rss_mib(qp.p.pid))
        self.results["checkpoint"] = (r, sizes, touched, first)
        qmp.close()
        requests.close()
        for p in (client, jb, qp):
            p.kill()
        self.rm(src, src_random, jb_file, q_file)

    # -- 2. restore ----------------------------------------------------------------------------

    def restore(self, spec):
        """One restore series, for guests that touched `spec` MiB each (an int), or, for spec "all", as
        much of their RAM as touch-mb reaches (see TOUCH_MAX_MIB): snapshots, then the timed restores."""
        a = self.a
        full = spec == "all"
        t_series = time.monotonic()
        tag = "all" if full else "t%d" % spec
        snaps, touched_by, said = {}, {}, {}

        def jbhyve_snapshot(mem, n, clamp_ok):
            vm, jb = self.jbhyve_boot(mem, n, clamp_ok)
            jf = self.path("restore-%s-%s.jbs" % (mem, tag))
            out = subprocess.run([a.bhyvectl, "--vm=" + vm, "--control-dir=" + self.ctl, "--suspend=" + jf],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                raise Failure("bhyvectl --suspend failed (status %d): %s" % (out.returncode, out.stderr.strip()))
            if not os.path.exists(jf):
                raise Failure("bhyvectl --suspend said '%s' but there is no %s" % ((out.stdout + out.stderr).strip(), jf))
            jb.kill()
            return jf, jb.touched

        def qemu_snapshot(mem, n, clamp_ok):
            qp, qmp = self.qemu_boot(mem, n, clamp_ok)
            qf = self.path("restore-%s-%s.qemu" % (mem, tag))
            self.qemu_migrate(qp, qmp, qf)
            qmp.close()
            qp.kill()
            return qf, qp.touched

        for mem in a.sizes:
            if not full:
                touched = spec
                self.log("restore: making the %s snapshots (guest touching %d MiB), jbhyve and QEMU..." % (mem, touched))
                jf, jn = jbhyve_snapshot(mem, touched, False)
                qf, qn = qemu_snapshot(mem, touched, False)
            else:
                # QEMU first, asked for the most touch-mb takes: it clamps to the end of its RAM below
                # the PCI hole, which QEMU's Multiboot information puts 1 MiB lower than jbhyve's (the
                # guest says 'clamped to N MiB'); then jbhyve's guest touches exactly those N MiB, so
                # that both snapshots hold the same data.
                self.log("restore: making the %s snapshots (guest touching all the RAM it can reach), QEMU and"
                         " jbhyve..." % mem)
                qf, qn = qemu_snapshot(mem, self.TOUCH_MAX_MIB, True)
                touched = qn
                jf, jn = jbhyve_snapshot(mem, touched, True)
            touched_by[mem] = touched
            said[mem] = (jn, qn)
            snaps[mem] = (jf, qf, self.sizes_of(jf), self.sizes_of(qf))

        self.settle()
        no_aot_env = dict(os.environ, JBHYVE_AOT="off")  # bin/bhyve without the build's AOT cache
        r = {k: {m: [] for m in a.sizes} for k in ("jb_cold", "jb_cold_own", "jb_noaot", "q_cold", "jb_warm", "jb_boot", "q_warm",
                                                  "sb", "sb_reply", "sb_own", "sb_ready", "sb_warmup", "q_resume",
                                                  "q_fd", "q_fd_resume", "q_cold_fd", "jvm_floor")}
        warnings = []

        # Cold: a new VMM process per restore, timed from just before it is started.
        for i in range(a.runs):
            self.log("restore: run %d of %d from process start (bhyve -r, qemu -incoming)..." % (i + 1, a.runs))
            for mem in a.sizes:
                jf, qf = snaps[mem][0], snaps[mem][1]
                p = Proc("bhyve -r %s" % jf, [a.bhyve, "-r", jf, "-l", "com1,stdio", "-o", "control.dir=" + self.ctl,
                                              self.name("rc")])
                r["jb_cold"][mem].append(self.first_output(p, p.t_spawn))
                r["jb_cold_own"][mem].append(self.cold_own_figure(p))
                p.kill()
                p = Proc("bhyve -r %s (no AOT cache)" % jf, [a.bhyve, "-r", jf, "-l", "com1,stdio", "-o",
                                                            "control.dir=" + self.ctl, self.name("ra")], env=no_aot_env)
                r["jb_noaot"][mem].append(self.first_output(p, p.t_spawn))
                p.kill()
                p = Proc("qemu -incoming %s" % qf, self.qemu_argv(mem, touched_by[mem], ["-incoming", "exec:cat '%s'" % qf]))
                r["q_cold"][mem].append(self.first_output(p, p.t_spawn))
                p.kill()
                # The floor of every "from process start" row of jbhyve: the same JVM with bin/bhyve's
                # options starting a program that only prints a line (JvmFloor). Not RAM-dependent; run
                # per size so that it sees the same host load as the rows next to it.
                p = Proc("JvmFloor", [a.java] + self.JVM_OPTIONS + ["-cp", a.bench_classes,
                                                                     "org.jbhyve.bench.snapshot.JvmFloor"])
                r["jvm_floor"][mem].append(self.first_output(p, p.t_spawn))
                p.kill()
                if full:
                    # With the whole RAM in the stream, exec:cat's pipe costs QEMU seconds: so here also
                    # QEMU reading the file itself, an inherited descriptor (-incoming fd:N), opened untimed.
                    fd = os.open(qf, os.O_RDONLY)
                    try:
                        p = Proc("qemu -incoming fd:%d (%s)" % (fd, qf),
                                 self.qemu_argv(mem, touched_by[mem], ["-incoming", "fd:%d" % fd]), pass_fds=(fd,))
                    finally:
                        os.close(fd)
                    r["q_cold_fd"][mem].append(self.first_output(p, p.t_spawn))
                    p.kill()

        # Warm: the VMM process already runs; timed from the restore request.
        self.log("restore: %d runs with the VMM process already running (bhyve's entry point in a warm JVM;"
                 " a standby bhyve, started for each restore; qemu -incoming defer + migrate-incoming)..." % a.runs)
        runner, requests = self.runner("bhyve in a warm JVM")
        first = a.sizes[0]
        self.warm_jbhyve(runner, requests, snaps[first][0], "warmup")

        def jb_warm(i, mem):
            r["jb_warm"][mem].append(self.warm_jbhyve(runner, requests, snaps[mem][0], "w%d-%s" % (i, mem)))

        def jb_boot(i, mem):
            r["jb_boot"][mem].append(self.warm_jbhyve_boot(runner, requests, mem, touched_by[mem], "b%d-%s" % (i, mem)))

        def standby(i, mem):
            # A standby bhyve with the VM's own options (untimed until it says it is ready), then the
            # restore request on its control socket, sent as soon as it is ready.
            p, vm, ready, warmup, warning = self.standby(mem, touched_by[mem])
            if warning:
                warnings.append("%s, run %d: %s" % (mem, i + 1, warning))
            out, reply, own = self.standby_restore(p, vm, snaps[mem][0])
            for key, value in (("sb", out), ("sb_reply", reply), ("sb_own", own), ("sb_ready", ready),
                               ("sb_warmup", warmup)):
                r[key][mem].append(value)
            p.kill()

        def qemu_defer(how):
            # QEMU reading the stream through `cat` (exec:, as in the other QEMU rows), or from the file
            # itself, an open descriptor handed over with getfd (fd:), which saves the pipe and the
            # second process.
            key, resume_key = {"exec": ("q_warm", "q_resume"), "fd": ("q_fd", "q_fd_resume")}[how]

            def step(i, mem):
                qmp_path = self.path(self.name("qmp") + ".sock")
                p = Proc("qemu -incoming defer (%s:)" % how,
                         self.qemu_argv(mem, touched_by[mem], ["-incoming", "defer", "-qmp",
                                                       "unix:%s,server=on,wait=off" % qmp_path]))
                qmp = Qmp(qmp_path)
                if how == "fd":
                    fd = os.open(snaps[mem][1], os.O_RDONLY)
                    try:
                        qmp.pass_fd(fd, "snapshot")
                    finally:
                        os.close(fd)
                    uri = "fd:snapshot"
                else:
                    uri = "exec:cat '%s'" % snaps[mem][1]
                t0 = now()
                qmp.execute("migrate-incoming", uri=uri)
                # RESUME: QEMU starts the guest when the stream is loaded (vm_start); read from the
                # socket as it arrives, while the guest's output is timestamped by its own reader.
                resume = qmp.wait_event("RESUME", t0) - t0
                r[key][mem].append(self.first_output(p, t0))
                r[resume_key][mem].append(resume)
                qmp.close()
                p.kill()
            return step

        # The steps rotate, so that a different one goes first each time: what a step leaves behind (a
        # VMM process and its VMs being torn down) does not always fall on the same next one.
        # The fresh-boot floor is left out of the full-RAM series: the guest prints its first line before it
        # touches anything, so that floor is the same whatever it touches (the first series measures it),
        # and the VM, destroyed right after that line, would be faulting in its RAM meanwhile.
        steps = [jb_warm, standby, qemu_defer("exec"), qemu_defer("fd")] if full else \
            [jb_warm, jb_boot, standby, qemu_defer("exec"), qemu_defer("fd")]
        k = 0
        for i in range(a.runs):
            for mem in a.sizes:
                for j in range(len(steps)):
                    steps[(j + k) % len(steps)](i, mem)
                k += 1
        requests.close()
        runner.kill()
        self.results.setdefault("restore", []).append(
            {"spec": spec, "r": r, "snaps": snaps, "touched": touched_by, "said": said, "warnings": warnings,
             "seconds": time.monotonic() - t_series})

    def first_output(self, p, t0):
        """ns from t0 to the guest's first output line after the restore, which must continue a tick line.

        The checkpoint may have stopped the guest in the middle of printing "tick N": then the
        restored guest's first output is the rest of that line ("ick 70", "0", or just the newline).
        Anything else (such as "touch ...") means it booted again instead of continuing.
        """
        t, line = p.wait_output(t0, timeout=300, what="the guest's first output after the restore")
        if not re.fullmatch(r"(tick |ick |ck |k | |)[0-9]*", line):
            raise Failure("%s: the restored guest's first output is '%s', not the rest of a tick line: it did not continue"
                          % (p.name, line))
        return t - t0

    def cold_own_figure(self, p):
        """bhyve -r's own "the guest runs again N ms after bhyve started", in ns: from the exec of bin/bhyve
        (the process's start time, which Linux keeps in 10 ms ticks) to vCPU 0's first entry, the guest's
        first instruction, which the issue's restore target counts to."""
        _, line = p.wait_line(lambda l: " restored from " in l and "after bhyve started" in l, key="err",
                              timeout=60, what="its line 'the guest runs again N ms after bhyve started'")
        m = re.search(r"the guest runs again ([0-9.]+) ms after bhyve started$", line)
        if not m:
            raise Failure("%s did not say when the guest runs again: '%s'" % (p.name, line))
        return int(float(m.group(1)) * 1e6)

    def standby(self, mem, touched):
        """A standby bhyve with the options of the VM the snapshots are of (untimed): started, and
        waited for until it says it is ready. Returns (process, VM name, ns from start to ready, its own
        warm-up figure in ms, a warning it printed or None)."""
        vm = self.name("sb")
        p = Proc("the standby bhyve %s (%s)" % (vm, mem),
                 [self.a.bhyve] + self.jbhyve_options(mem, touched) + ["-o", "restore.standby=true", vm])
        t, line = p.wait_line(lambda l: l.startswith("jbhyve: standby %s ready " % vm), key="err", timeout=180,
                              what="its line 'jbhyve: standby %s ready ...'" % vm)
        m = re.search(r"\(warmed up in ([0-9]+) ms\)", line)
        with p.cv:
            warnings = [l for _, l in p.lines["err"] if "warm-up failed" in l or "cannot build the machine" in l]
        return p, vm, t - p.t_spawn, int(m.group(1)) if m else float("nan"), (warnings or [None])[0]

    def standby_restore(self, p, vm, snap):
        """Sends the restore request for `snap` to the standby `vm` (its control socket, one connection,
        as bhyvectl --restore does) and returns, in ns from just before the connection: (the guest's
        first output, the reply's arrival, the standby's own "the guest runs again N ms" figure, whose
        origin is when it began serving the request)."""
        path = os.path.join(self.ctl, vm)
        request = nv_pack_strings([("cmd", "restore"), ("filename", os.path.abspath(snap))])
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(120)
        try:
            t0 = now()
            sock.connect(path)
            sock.sendall(request)
            header = recv_exactly(sock, 19, "the reply's header")
            size = struct.unpack_from("<Q", header, 11)[0]
            body = recv_exactly(sock, size, "the reply")
            t_reply = now()
        except socket.timeout:
            raise Failure("%s did not answer the restore request of %s within 120 s; its stderr ends with:\n%s"
                          % (p.name, snap, p.tail()))
        except OSError as e:
            raise Failure("the restore request to %s on %s failed (%s); its stderr ends with:\n%s"
                          % (p.name, path, e, p.tail()))
        finally:
            sock.close()
        try:
            reply = nv_unpack(header, body)
        except (ValueError, struct.error) as e:
            raise Failure("%s answered the restore request with something that is not an nvlist (%s)" % (p.name, e))
        error, message = reply.get("error"), reply.get("message", "")
        if error != 0:
            raise Failure("%s refused the restore of %s (error %s): %s" % (p.name, snap, error, message))
        if "into the machine prepared for it" not in message:
            raise Failure("%s restored %s without the machine prepared for it, so the benchmark would not measure"
                          " the prepared path; its reply: '%s'; its stderr ends with:\n%s"
                          % (p.name, snap, message, p.tail()))
        elapsed = self.first_output(p, t0)
        _, line = p.wait_line(lambda l: l.startswith("jbhyve: VM %s restored from " % vm), key="err", after=t0,
                              timeout=60, what="its line 'the guest runs again N ms after the restore request'")
        m = re.search(r"the guest runs again ([0-9.]+) ms after the restore request$", line)
        if not m:
            raise Failure("%s did not say when the guest runs again relative to the restore request: '%s'"
                          % (p.name, line))
        return elapsed, t_reply - t0, int(float(m.group(1)) * 1e6)

    def warm_jbhyve_boot(self, runner, requests, mem, touched, id_):
        """The floor of a restore in the warm JVM: building and starting the same VM from scratch, to
        the guest's first output (its first line, printed right after it starts)."""
        vm = self.name("bw")
        start, _, _ = self.runner_call(runner, requests, id_, "bg", "org.jbhyve.bhyve.Main",
                                       ["-c", "1", "-m", mem, "-s", "0,hostbridge", "-s", "31,lpc", "-l", "com1,stdio",
                                        "-o", "boot.kernel=" + self.a.guest, "-o", "boot.cmdline=touch=%d" % touched,
                                        "-o", "control.dir=" + self.ctl, vm], wait_end=False)
        t, line = runner.wait_output(start, what="the booted guest's first output")
        if not line.startswith("touch "):
            raise Failure("the guest booted in the warm JVM printed '%s' first, not its 'touch' line" % line)
        t_destroy = now()
        self.runner_call(runner, requests, id_ + "-destroy", "fg", "org.jbhyve.bhyvectl.Main",
                         ["--vm=" + vm, "--control-dir=" + self.ctl, "--destroy"])
        self.runner_end(runner, id_, t_destroy)
        return t - start

    def warm_jbhyve(self, runner, requests, snap, id_):
        vm = self.name("rw")
        start, _, _ = self.runner_call(runner, requests, id_, "bg", "org.jbhyve.bhyve.Main",
                                       ["-r", snap, "-l", "com1,stdio", "-o", "control.dir=" + self.ctl, vm],
                                       wait_end=False)
        elapsed = self.first_output(runner, start)
        t = now()
        self.runner_call(runner, requests, id_ + "-destroy", "fg", "org.jbhyve.bhyvectl.Main",
                         ["--vm=" + vm, "--control-dir=" + self.ctl, "--destroy"])
        self.runner_end(runner, id_, t)
        return elapsed

    # -- report --------------------------------------------------------------------------------

    def report(self):
        noisy = []

        def med(xs):
            return statistics.median(xs)

        def spread(xs):
            """How far the runs spread around the median: max - min, or with 5 runs or more the range
            of the runs left after dropping the fastest and the slowest, relative to the median."""
            v = sorted(xs)
            if len(v) >= 5:
                v = v[1:-1]
            return (v[-1] - v[0]) / med(xs) if med(xs) else 0

        def cell(xs, label, digits=0):
            bad = len(xs) > 1 and spread(xs) > self.a.noise
            if bad:
                noisy.append("%-58s %6.*f - %.*f ms" % (label.strip(), digits, ms(min(xs)), digits, ms(max(xs))))
            return "%7.*f" % (digits, ms(med(xs))) + ("*" if bad else " ")

        def mib(b):
            return "%8.1f MiB" % (b / MiB)

        print()
        if "checkpoint" in self.results:
            r, sizes, touched, first = self.results["checkpoint"]
            print("1. checkpoint of a running 1 GiB guest with %d MiB touched (ms, median of %d; * = noisy)"
                  % (touched, self.a.runs))
            print("                                                      time      file apparent    allocated")
            rows = [
                ("floor: dd the %d MiB touched, conv=fsync" % touched, r["dd"], sizes["dd"]),
                ("(dd %d MiB of random bytes, conv=fsync)" % touched, r["dd_random"], sizes["dd_random"]),
                ("jbhyve: bhyvectl --checkpoint, the command", r["bhyvectl"], sizes["jbhyve"]),
                ("jbhyve: the request alone (warm bhyvectl JVM)", r["request"], sizes["jbhyve"]),
                ("QEMU: migrate exec:cat to 'completed'", r["qemu"], sizes["qemu"]),
                ("QEMU: ... and the file fsynced", r["qemu_fsync"], sizes["qemu"]),
            ]
            for label, xs, (app, alloc) in rows:
                print("  %-48s %s  %s  %s" % (label, cell(xs, label), mib(app), mib(alloc)))
            total, downtime = sizes["qemu_info"]
            print("  (QEMU's own figures, last run: total-time %s ms, downtime %s ms; its VM is paused at the end of"
                  " a migration and is resumed with 'cont')" % (total, downtime))
            print("  the guest's pause (both live: RAM copied while the guest runs, the rest paused):")
            print("  %-48s %s" % ("jbhyve: 'the guest was paused for' (bhyvectl)", cell(r["paused"], "jbhyve pause", 1)))
            if r["qemu_downtime"]:
                print("  %-48s %s" % ("QEMU: downtime (query-migrate), until 'cont' not counted",
                                      cell(r["qemu_downtime"], "QEMU downtime", 1)))
                print("  ratio: QEMU downtime / jbhyve pause %.2f (higher is better for jbhyve)"
                      % (med(r["qemu_downtime"]) / med(r["paused"])))
            jb_req, jb_cmd, dd, qf = med(r["request"]), med(r["bhyvectl"]), med(r["dd"]), med(r["qemu_fsync"])
            print("  round 0 (warm-up, not in the medians): dd %.0f, dd random %.0f, bhyvectl %.0f, request %.0f, "
                  "QEMU %.0f / %.0f" % tuple(ms(first[k][0]) for k in ("dd", "dd_random", "bhyvectl", "request", "qemu",
                                                                        "qemu_fsync")))
            print("  VMM resident memory (VmRSS) after boot -> after the checkpoints: jbhyve %.0f -> %.0f MiB, "
                  "QEMU %.0f -> %.0f MiB" % (sizes["rss"][0], sizes["rss"][2], sizes["rss"][1], sizes["rss"][3]))
            print("  ratios: jbhyve request / dd floor %.2f; jbhyve request / QEMU+fsync %.2f; "
                  "bhyvectl command / QEMU+fsync %.2f" % (jb_req / dd, jb_req / qf, jb_cmd / qf))
            print("          allocated bytes jbhyve / QEMU %.2f; jbhyve allocated / touched %.3f"
                  % (sizes["jbhyve"][1] / sizes["qemu"][1], sizes["jbhyve"][1] / (touched * MiB)))
            print()
        for k, series in enumerate(self.results.get("restore", [])):
            r, snaps, touched, warnings = series["r"], series["snaps"], series["touched"], series["warnings"]
            sz = self.a.sizes
            full = series["spec"] == "all"
            # The first series keeps its label and its noisy-list names; a further one is 2b, 2c, ...
            number = "2." if k == 0 else "2%s." % "bcdefgh"[k - 1]
            suffix = "" if k == 0 else "/%s" % ("all" if full else "%dM" % series["spec"])  # 1G/all, as in 2c
            if full:
                print("%s restore of a guest that touched (nearly) all its RAM: %s MiB (ms, median of %d; * = noisy;"
                      " ratios: target >= 10)" % (number, " / ".join(str(touched[m]) for m in sz), self.a.runs))
            else:
                print("%s restore of a guest with %d MiB touched (ms, median of %d; * = noisy; ratios: target >= 10)"
                      % (number, series["spec"], self.a.runs))
            print("   %-46s" % "to the guest's first output after it" + "".join("%10s" % m for m in sz)
                  + "   %s/%s" % (sz[-1], sz[0]))

            def row(label, series):
                cells = "".join(" %s " % cell(series[m], "%s %s%s" % (label, m, suffix)) for m in sz)
                print("  %-46s%s    %5.2f" % (label, cells, med(series[sz[-1]]) / med(series[sz[0]])))

            def ratio(label, q, j, of=med):
                print("  %-46s" % label + "".join("%9.2f " % (of(q[m]) / of(j[m])) for m in sz)
                      + "   (target >= 10)")

            row("jbhyve: bhyve -r, from process start", r["jb_cold"])
            row("  without the AOT cache (JBHYVE_AOT=off)", r["jb_noaot"])
            row("QEMU: -incoming exec:cat, from process start", r["q_cold"])
            if full:
                row("  the same from the file itself (fd:)", r["q_cold_fd"])
            ratio("ratio QEMU / jbhyve", r["q_cold"], r["jb_cold"])
            ratio("ratio QEMU / jbhyve without the AOT cache", r["q_cold"], r["jb_noaot"])
            row("floor: a JVM that only prints a line", r["jvm_floor"])
            ratio("best any JVM could do: QEMU / that floor", r["q_cold"], r["jvm_floor"])
            if full:
                ratio("ratio QEMU fd: / jbhyve", r["q_cold_fd"], r["jb_cold"])
                ratio("ratio QEMU fd: / jbhyve without the AOT cache", r["q_cold_fd"], r["jb_noaot"])
                ratio("best any JVM could do: QEMU fd: / the floor", r["q_cold_fd"], r["jvm_floor"])
            row("jbhyve: restore request in a warm JVM", r["jb_warm"])
            if not full:
                row("  floor: a fresh boot there, to its first line", r["jb_boot"])
            row("jbhyve: standby, from the restore request", r["sb"])
            row("QEMU: -incoming defer, from migrate-incoming", r["q_warm"])
            row("  the same from the file itself (fd:)", r["q_fd"])
            ratio("ratio QEMU defer / jbhyve warm JVM", r["q_warm"], r["jb_warm"])
            ratio("ratio QEMU defer / jbhyve standby", r["q_warm"], r["sb"])
            ratio("ratio QEMU defer fd: / jbhyve standby", r["q_fd"], r["sb"])
            print("   %-46s" % "to the guest's first instruction (VMM says)" + "".join("%10s" % m for m in sz))
            row("jbhyve: bhyve -r, its own 'runs again N ms'", r["jb_cold_own"])
            row("jbhyve: standby, its reply (the guest runs)", r["sb_reply"])
            row("  its own 'the guest runs again N ms'", r["sb_own"])
            row("QEMU: -incoming defer, its RESUME event", r["q_resume"])
            row("  the same from the file itself (fd:)", r["q_fd_resume"])
            ratio("ratio QEMU RESUME / jbhyve reply", r["q_resume"], r["sb_reply"])
            ratio("ratio QEMU RESUME / jbhyve's own figure", r["q_resume"], r["sb_own"])
            ratio("ratio QEMU fd: RESUME / jbhyve reply", r["q_fd_resume"], r["sb_reply"])
            ratio("ratio QEMU fd: RESUME / jbhyve's own figure", r["q_fd_resume"], r["sb_own"])
            # On a loaded host QEMU's longer, two-process restore catches more of the other load than
            # jbhyve's few milliseconds; the fastest runs of each are the quiet-host comparison.
            ratio("the same, fastest runs only: RESUME / reply", r["q_resume"], r["sb_reply"], of=min)
            ratio("                       fd: RESUME / reply", r["q_fd_resume"], r["sb_reply"], of=min)
            print("  standby bhyve, start to 'ready' (not timed above): "
                  + ", ".join("%s %.0f ms" % (m, ms(med(r["sb_ready"][m]))) for m in sz)
                  + "; its own 'warmed up in' " + ", ".join("%.0f" % med(r["sb_warmup"][m]) for m in sz) + " ms")
            for w in warnings:
                print("  standby warning (%s)" % w)
            print("  snapshot files (apparent / allocated MiB):  "
                  + ";  ".join("%s jbhyve %.0f/%.1f, QEMU %.1f/%.1f" % (m, snaps[m][2][0] / MiB, snaps[m][2][1] / MiB,
                                                                      snaps[m][3][0] / MiB, snaps[m][3][1] / MiB)
                               for m in sz))
            if full:
                said = series["said"]
                print("  touched, MiB from 16 MiB (jbhyve's guest / QEMU's): "
                      + ", ".join("%s %d / %d of %d" % (m, said[m][0], said[m][1], mem_mib(m)) for m in sz)
                      + "; the fresh-boot floor is not rerun (the same as in series 2: the guest prints before it"
                        " touches)")
                beyond = [m for m in sz if mem_mib(m) > 3072]
                if beyond:
                    print("  not touched: RAM above 4 GiB (%s), which touch-mb (32-bit, no paging) cannot reach"
                          % ", ".join("%s: %d MiB" % (m, mem_mib(m) - 3072) for m in beyond))
            if k > 0:
                print("  (this series took %.0f s, making its snapshots included)" % series["seconds"])
            print()
        all_series = self.results.get("restore", [])
        if len(all_series) > 1:
            self.report_side_by_side(all_series, med)
        if noisy:
            print("NOISY (*): the runs of these series (without the fastest and the slowest, from 5 runs on) spread"
                  " over more than %d%% of their median (load average now %s; a quieter host or more runs give"
                  " tighter figures); all runs, min - max:"
                  % (self.a.noise * 100, open("/proc/loadavg").read().split()[0]))
            for item in noisy:
                print("  " + item)

    def report_side_by_side(self, all_series, med):
        """The series next to each other, size by size (medians, ms; the noise marks are in the tables)."""
        sz = self.a.sizes
        cols = [(m, k) for m in sz for k in range(len(all_series))]

        def head(k):
            spec = all_series[k]["spec"]
            return "all" if spec == "all" else "%dM" % spec

        print("2%s. the restore series side by side: by guest size and how much it touched (MiB from 16 MiB: %s)"
              % ("bcdefgh"[len(all_series) - 1],
                 "; ".join("%s %s" % (head(k), "/".join(str(all_series[k]["touched"][m]) for m in sz))
                           for k in range(len(all_series)))))
        print("  %-46s" % "(ms, median of %d)" % self.a.runs + "".join("%9s" % ("%s/%s" % (m, head(k))) for m, k in cols))

        def has(k, key, m):
            return bool(all_series[k]["r"][key][m])

        def row(label, key):
            print("  %-46s" % label + "".join("%9.0f" % ms(med(all_series[k]["r"][key][m])) if has(k, key, m)
                                              else "%9s" % "-" for m, k in cols))

        def ratio(label, q, j):
            print("  %-46s" % label + "".join("%9.2f" % (med(all_series[k]["r"][q][m]) / med(all_series[k]["r"][j][m]))
                                              if has(k, q, m) else "%9s" % "-" for m, k in cols))

        print("   to the guest's first output after it")
        row("jbhyve: bhyve -r, from process start", "jb_cold")
        row("QEMU: -incoming exec:cat, from process start", "q_cold")
        row("  the same from the file itself (fd:)", "q_cold_fd")
        row("jbhyve: restore request in a warm JVM", "jb_warm")
        row("jbhyve: standby, from the restore request", "sb")
        row("QEMU: -incoming defer, from migrate-incoming", "q_warm")
        row("  the same from the file itself (fd:)", "q_fd")
        print("   to the guest's first instruction (VMM says)")
        row("jbhyve: bhyve -r, its own 'runs again N ms'", "jb_cold_own")
        row("jbhyve: standby, its reply (the guest runs)", "sb_reply")
        row("  its own 'the guest runs again N ms'", "sb_own")
        row("QEMU: -incoming defer, its RESUME event", "q_resume")
        row("  the same from the file itself (fd:)", "q_fd_resume")
        print("   ratios (target >= 10)")
        ratio("QEMU / jbhyve, from process start", "q_cold", "jb_cold")
        ratio("QEMU fd: / jbhyve, from process start", "q_cold_fd", "jb_cold")
        ratio("QEMU defer / jbhyve standby, first output", "q_warm", "sb")
        ratio("QEMU defer fd: / jbhyve standby, first output", "q_fd", "sb")
        ratio("QEMU RESUME / jbhyve reply", "q_resume", "sb_reply")
        ratio("QEMU RESUME / jbhyve's own figure", "q_resume", "sb_own")
        ratio("QEMU fd: RESUME / jbhyve reply", "q_fd_resume", "sb_reply")
        ratio("QEMU fd: RESUME / jbhyve's own figure", "q_fd_resume", "sb_own")
        print()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True)
    ap.add_argument("--bhyve", required=True)
    ap.add_argument("--bhyvectl", required=True)
    ap.add_argument("--java", required=True)
    ap.add_argument("--runner-cp", required=True)
    ap.add_argument("--bench-classes", required=True, help="ci/bench's classes (JvmFloor)")
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="256M,1G,4G")
    ap.add_argument("--touched", default="64M,all",
                    help="restore series: MiB each guest touches (64M, 1G, 64) or all (what touch-mb reaches)")
    ap.add_argument("--only", choices=("checkpoint", "restore"))
    ap.add_argument("--noise", type=float, default=0.25)
    a = ap.parse_args()
    a.sizes = a.sizes.split(",")
    a.touched = [t if t == "all" else mem_mib(t) for t in a.touched.split(",")]

    def on_signal(sig, frame):
        kill_all()
        sys.exit(128 + sig)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    b = Bench(a)
    t0 = time.monotonic()
    try:
        if a.only in (None, "checkpoint"):
            b.checkpoint()
        if a.only in (None, "restore"):
            for spec in a.touched:
                b.restore(spec)
    except Failure as e:
        kill_all()
        print("bench-snapshot: %s" % e, file=sys.stderr)
        return 1
    except (OSError, ValueError, subprocess.SubprocessError) as e:
        kill_all()
        where = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__][-1]
        print("bench-snapshot: the harness failed (%s at bench.py line %d): %s"
              % (type(e).__name__, where.lineno, e), file=sys.stderr)
        return 1
    finally:
        kill_all()
    b.report()
    print("(measured in %.0f s; load average now %s)" % (time.monotonic() - t0,
                                                       " ".join(open("/proc/loadavg").read().split()[:3])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
