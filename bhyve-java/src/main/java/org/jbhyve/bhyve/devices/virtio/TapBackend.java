package org.jbhyve.bhyve.devices.virtio;

import static org.jbhyve.bindings.linux.tun.tun_h.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.libc.pollfd;
import org.jbhyve.bindings.linux.tun.ifreq;

/**
 * A Linux tap interface as virtio-net's backend: {@code /dev/net/tun} opened non-blocking and
 * attached with TUNSETIFF (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR) to the named interface, which is
 * created if it does not exist (and goes away with the file unless it was made persistent, e.g. by
 * {@code ip tuntap add}). The virtio-net header size is set to 12 bytes (TUNSETVNETHDRSZ), so each
 * frame read or written carries checksum and segmentation metadata, and TUNSETOFFLOAD tells the
 * kernel which offloads the guest accepts. A kernel without IFF_VNET_HDR gives a backend without
 * header or offloads.
 *
 * <p>{@link #receive} polls the tap and an eventfd that {@link #wakeup} writes. Frames the guest
 * sends while the interface is down or its queue is full are dropped, as on a wire.
 */
final class TapBackend implements NetBackend {
    static final Path TUN = Path.of("/dev/net/tun");

    private final String name;
    private final int fd;
    private final int wakeFd;
    private final int headerBytes;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment txErrno = libc_h.allocateErrnoState(arena);
    private final MemorySegment rxErrno = libc_h.allocateErrnoState(arena);
    private final MemorySegment polls = arena.allocate(pollfd.layout(), 2);
    private final MemorySegment wakeBuf = arena.allocate(8);
    private volatile boolean closed;

    private TapBackend(String name, int fd, int wakeFd, int headerBytes) {
        this.name = name;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.headerBytes = headerBytes;
        MemorySegment p0 = polls.asSlice(0, pollfd.sizeof()), p1 = polls.asSlice(pollfd.sizeof(), pollfd.sizeof());
        pollfd.fd(p0, fd);
        pollfd.events(p0, libc_h.POLLIN);
        pollfd.fd(p1, wakeFd);
        pollfd.events(p1, libc_h.POLLIN);
    }

    /**
     * Attaches to tap interface {@code ifname}.
     *
     * @param who the device, for messages
     * @throws ConfigException if /dev/net/tun is missing or the interface cannot be attached
     */
    static TapBackend open(String ifname, String who) {
        byte[] n = ifname.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length >= IFNAMSIZ || ifname.indexOf('/') >= 0 || ifname.indexOf(':') >= 0) {
            throw new ConfigException(who + ": \"" + ifname + "\" is not a valid interface name (1 to "
                    + (IFNAMSIZ - 1) + " characters, no '/' or ':')");
        }
        if (!Files.exists(TUN)) {
            throw new ConfigException(who + ": " + TUN + " does not exist: the tap backend needs the Linux tun driver"
                    + " (modprobe tun; in a container, pass the device in, e.g. --device /dev/net/tun)");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(TUN.toString()), libc_h.O_RDWR | libc_h.O_NONBLOCK | libc_h.O_CLOEXEC, 0);
            if (fd < 0) {
                int e = libc_h.errno(err);
                throw new ConfigException(who + ": cannot open " + TUN + ": " + Errno.describe(e)
                        + (e == Errno.EACCES || e == Errno.EPERM ? " (tap interfaces need CAP_NET_ADMIN or a"
                        + " persistent tap owned by this user)" : ""));
            }
            int wake = -1;
            try {
                MemorySegment features = a.allocate(ValueLayout.JAVA_INT);
                boolean vnet = libc_h.ioctl(err, fd, TUNGETFEATURES, features) == 0
                        && (features.get(ValueLayout.JAVA_INT, 0) & IFF_VNET_HDR) != 0;
                MemorySegment req = ifreq.allocate(a);
                MemorySegment.copy(n, 0, ifreq.ifr_name(req), ValueLayout.JAVA_BYTE, 0, n.length);
                ifreq.ifr_flags(req, (short) (IFF_TAP | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0)));
                if (libc_h.ioctl(err, fd, TUNSETIFF, req) != 0) {
                    int e = libc_h.errno(err);
                    throw new ConfigException(who + ": cannot attach to tap interface " + ifname + ": "
                            + Errno.describe(e) + (e == Errno.EINVAL || e == Errno.EBUSY
                            ? " (is it a tun, not a tap, or already in use by another process?)"
                            : e == Errno.EPERM ? " (creating a tap interface needs CAP_NET_ADMIN)" : ""));
                }
                int header = 0;
                if (vnet) {
                    MemorySegment size = a.allocateFrom(ValueLayout.JAVA_INT, VirtioNet.BACKEND_HEADER_BYTES);
                    if (libc_h.ioctl(err, fd, TUNSETVNETHDRSZ, size) == 0) header = VirtioNet.BACKEND_HEADER_BYTES;
                }
                if (header == 0 && vnet) {
                    throw new ConfigException(who + ": the tap interface " + ifname + " refused a 12-byte virtio-net header");
                }
                wake = libc_h.eventfd(err, 0, libc_h.EFD_CLOEXEC | libc_h.EFD_NONBLOCK);
                if (wake < 0) throw new ConfigException(who + ": eventfd: " + Errno.describe(libc_h.errno(err)));
                TapBackend b = new TapBackend(ifname, fd, wake, header);
                if (header != 0) b.setOffloads(0);
                return b;
            } catch (RuntimeException | IOException e) {
                libc_h.close(err, fd);
                if (wake >= 0) libc_h.close(err, wake);
                if (e instanceof RuntimeException r) throw r;
                throw new ConfigException(who + ": " + e.getMessage());
            }
        }
    }

    @Override
    public int headerBytes() {
        return headerBytes;
    }

    @Override
    public boolean offloads() {
        return headerBytes != 0;
    }

    @Override
    public void setOffloads(int tunFlags) throws IOException {
        synchronized (txErrno) {
            if (libc_h.ioctl(txErrno, fd, TUNSETOFFLOAD, Integer.toUnsignedLong(tunFlags)) != 0) {
                throw new IOException("TUNSETOFFLOAD 0x" + Integer.toHexString(tunFlags) + " on " + name + ": "
                        + Errno.describe(libc_h.errno(txErrno)));
            }
        }
    }

    @Override
    public void send(MemorySegment frame) throws IOException {
        synchronized (txErrno) {
            if (closed) return;
            long n = libc_h.write(txErrno, fd, frame, frame.byteSize());
            if (n < 0) {
                int e = libc_h.errno(txErrno);
                // A full queue, or the interface is down: the frame is lost, as on a wire.
                if (e == Errno.EAGAIN || e == Errno.EIO || e == Errno.ENOBUFS || e == Errno.EINTR) return;
                throw new IOException("write to tap " + name + ": " + Errno.describe(e));
            }
        }
    }

    @Override
    public int receive(MemorySegment buffer, int timeoutMillis) throws IOException {
        if (closed) return 0;
        long n = libc_h.read(rxErrno, fd, buffer, buffer.byteSize());
        if (n > 0) return (int) n;
        if (n < 0 && libc_h.errno(rxErrno) != Errno.EAGAIN && libc_h.errno(rxErrno) != Errno.EINTR) {
            throw new IOException("read from tap " + name + ": " + Errno.describe(libc_h.errno(rxErrno)));
        }
        pollfd.revents(polls, (short) 0);
        int r = libc_h.poll(rxErrno, polls, 2, timeoutMillis);
        if (r <= 0 || closed) return 0;
        if ((pollfd.revents(polls.asSlice(pollfd.sizeof())) & libc_h.POLLIN) != 0) {
            libc_h.read(rxErrno, wakeFd, wakeBuf, 8);
            return 0;
        }
        n = libc_h.read(rxErrno, fd, buffer, buffer.byteSize());
        return n > 0 ? (int) n : 0;
    }

    @Override
    public void wakeup() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocateFrom(ValueLayout.JAVA_LONG, 1L);
            libc_h.write(libc_h.allocateErrnoState(a), wakeFd, one, 8);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Closes the tap (the interface goes away unless persistent). Call once the receiving thread has stopped. */
    @Override
    public void close() {
        synchronized (txErrno) {
            if (closed) return;
            closed = true;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment err = libc_h.allocateErrnoState(a);
                libc_h.close(err, fd);
                libc_h.close(err, wakeFd);
            }
        }
        arena.close();
    }
}
