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
 * <p>The frames themselves go through {@link FrameIo}, as FreeBSD's ({@link FreeBsdTapBackend}) do:
 * frames the guest sends while the interface is down or its queue is full are dropped, as on a wire.
 */
final class TapBackend extends FrameIoBackend {
    static final Path TUN = Path.of("/dev/net/tun");

    private final int headerBytes;

    private TapBackend(String name, FrameIo io, int headerBytes) {
        super(name, io);
        this.headerBytes = headerBytes;
    }

    /**
     * Attaches to tap interface {@code ifname}.
     *
     * @param who the device, for messages
     * @throws ConfigException if /dev/net/tun is missing or the interface cannot be attached
     */
    static TapBackend open(String ifname, String who) {
        NetBackend.checkInterfaceName(ifname, IFNAMSIZ, who);
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
            FrameIo io = null;
            try {
                MemorySegment features = a.allocate(ValueLayout.JAVA_INT);
                boolean vnet = libc_h.ioctl(err, fd, TUNGETFEATURES, features) == 0
                        && (features.get(ValueLayout.JAVA_INT, 0) & IFF_VNET_HDR) != 0;
                MemorySegment req = ifreq.allocate(a);
                byte[] n = ifname.getBytes(StandardCharsets.UTF_8);
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
                io = FrameIo.open(fd, "tap " + ifname);
                TapBackend b = new TapBackend(ifname, io, header);
                if (header != 0) b.setOffloads(0);
                return b;
            } catch (RuntimeException | IOException e) {
                if (io != null) io.close();
                else libc_h.close(err, fd);
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
        int e = io.ioctl(TUNSETOFFLOAD, Integer.toUnsignedLong(tunFlags));
        if (e != 0) {
            throw new IOException("TUNSETOFFLOAD 0x" + Integer.toHexString(tunFlags) + " on " + name() + ": "
                    + Errno.describe(e));
        }
    }
}
