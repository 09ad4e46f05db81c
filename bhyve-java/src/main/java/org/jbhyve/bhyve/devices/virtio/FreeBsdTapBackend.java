package org.jbhyve.bhyve.devices.virtio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bindings.freebsd.libc.errno_h;
import org.jbhyve.bindings.freebsd.libc.fcntl_h;
import org.jbhyve.bindings.freebsd.net.ifreq;
import org.jbhyve.bindings.freebsd.net.net_h;
import org.jbhyve.bindings.freebsd.socket.socket_h;
import org.jbhyve.bindings.libc.libc_h;

/**
 * A FreeBSD tap(4) device as virtio-net's backend, opened the way bhyve's tap backend opens it
 * (usr.sbin/bhyve/net_backends.c, {@code tap_init}): the backend name is a device under
 * {@code /dev}, {@code tapN} or {@code vmnetN} (bhyve picks this backend for any name starting with
 * "tap" or "vmnet"; plain {@code tap} or {@code vmnet} clones the next free unit, as opening
 * {@code /dev/tap} does). The device is opened read-write, non-blocking and close-on-exec, its
 * interface name read with {@code TAPGIFNAME}, and the interface brought up ({@code IFF_UP} through
 * {@code SIOCSIFFLAGS} on a socket) when it is not up already: a FreeBSD tap silently discards
 * what is written to it while down, and bhyve does the same rather than rely on
 * {@code net.link.tap.up_on_open}. A {@code vmnet} device differs from a {@code tap} only when
 * closed: its interface stays up.
 *
 * <p>Frames are bare Ethernet frames, one per read and write ({@link FrameIo}), so
 * {@link #headerBytes()} is 0 and no offloads are offered. FreeBSD's tap can carry a virtio-net
 * header ({@code TAPSVNETHDR}, net/if_tap.h), but bhyve does not use it ({@code tap_get_cap} reports
 * no capabilities), and which offloaded frames the host sends a guest is then decided by the
 * interface's capabilities ({@code ifconfig tap0 txcsum tso}, {@code SIOCSIFCAP}) rather than by a
 * per-descriptor call like Linux's TUNSETOFFLOAD: matching them to what the guest negotiates is
 * work for a FreeBSD host to verify, not done here. The cost is that the guest's checksums and
 * segmentation are done in the guest.
 *
 * <p>Errors opening the device become one {@link ConfigException} naming the device and the fix.
 */
final class FreeBsdTapBackend extends FrameIoBackend {
    /** The backend-name prefixes of bhyve's tap backends ({@code tap_backend}, {@code vmnet_backend}). */
    static final List<String> PREFIXES = List.of("tap", "vmnet");

    /** @param name the interface name (what {@code TAPGIFNAME} returned: tap3 for a cloned {@code tap}) */
    private FreeBsdTapBackend(String name, FrameIo io) {
        super(name, io);
    }

    /**
     * A backend on an already-open descriptor that carries one frame per read and write, for tests
     * (a socket pair stands in for the tap). Takes over {@code fd}.
     */
    static FreeBsdTapBackend over(int fd, String name) throws IOException {
        return new FreeBsdTapBackend(name, FrameIo.open(fd, name));
    }

    /** Whether bhyve would hand backend name {@code device} to its tap backend. */
    static boolean isTapName(String device) {
        return PREFIXES.stream().anyMatch(device::startsWith);
    }

    /**
     * Opens {@code /dev/<device>} and brings its interface up. FreeBSD only: the flags and ioctls are
     * FreeBSD's.
     *
     * @param device the backend name without {@code /dev/}: {@code tapN}, {@code vmnetN}, {@code tap}, ...
     * @param who    the device, for messages
     * @throws ConfigException with the cause and the fix
     */
    static FreeBsdTapBackend open(String device, String who) {
        checkDeviceName(device, who);
        if (!HostAbi.FREEBSD) {
            throw new ConfigException(who + ": /dev/" + device + " is a FreeBSD tap device; this host is "
                    + System.getProperty("os.name"));
        }
        String path = "/dev/" + device;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int fd = libc_h.open(err, a.allocateFrom(path),
                    libc_h.O_RDWR | fcntl_h.O_NONBLOCK | fcntl_h.O_CLOEXEC, 0);
            if (fd < 0) throw openFailure(who, device, libc_h.errno(err));
            try {
                MemorySegment req = ifreq.allocate(a);
                if (libc_h.ioctl(err, fd, net_h.TAPGIFNAME, req) != 0) {
                    throw interfaceNameFailure(who, device, libc_h.errno(err));
                }
                String ifname = ifreq.ifr_name(req).getString(0, StandardCharsets.US_ASCII);
                bringUp(req, ifname, who);
                return new FreeBsdTapBackend(ifname, FrameIo.open(fd, ifname + " (" + path + ")"));
            } catch (RuntimeException | IOException e) {
                libc_h.close(err, fd);
                if (e instanceof RuntimeException r) throw r;
                throw new ConfigException(who + ": " + e.getMessage());
            }
        }
    }

    /**
     * Sets {@code IFF_UP} on the interface named in {@code req} (as {@code TAPGIFNAME} left it) unless
     * it is up: {@code SIOCGIFFLAGS}, then {@code SIOCSIFFLAGS}, on an IPv4 (else IPv6) datagram socket.
     */
    private static void bringUp(MemorySegment req, String ifname, String who) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            int type = socket_h.SOCK_DGRAM | socket_h.SOCK_CLOEXEC;
            int s = libc_h.socket(err, socket_h.AF_INET, type, 0);
            if (s < 0) s = libc_h.socket(err, socket_h.AF_INET6, type, 0);
            if (s < 0) {
                throw new ConfigException(who + ": cannot make a socket to bring " + ifname + " up: "
                        + HostAbi.describe(libc_h.errno(err), true));
            }
            try {
                if (libc_h.ioctl(err, s, net_h.SIOCGIFFLAGS, req) != 0) {
                    throw new ConfigException(who + ": cannot read the flags of " + ifname + ": "
                            + HostAbi.describe(libc_h.errno(err), true));
                }
                short flags = ifreq.ifr_flags(req);
                if ((flags & net_h.IFF_UP) != 0) return;
                ifreq.ifr_flags(req, (short) (flags | net_h.IFF_UP));
                if (libc_h.ioctl(err, s, net_h.SIOCSIFFLAGS, req) != 0) {
                    throw bringUpFailure(who, ifname, libc_h.errno(err));
                }
            } finally {
                libc_h.close(err, s);
            }
        }
    }

    /**
     * Refuses a backend name that is not one of bhyve's tap device names or cannot be an interface
     * name (the device is {@code /dev/<name>}, so a '/' would leave {@code /dev}).
     */
    static void checkDeviceName(String device, String who) {
        if (!isTapName(device)) {
            throw new ConfigException(who + ": \"" + device + "\" is not a FreeBSD tap device: give tapN or vmnetN"
                    + " (e.g. -s 3,virtio-net,tap0)");
        }
        NetBackend.checkInterfaceName(device, net_h.IFNAMSIZ, who);
    }

    /** The message for {@code open(/dev/<device>)} failing with FreeBSD errno {@code errno}. */
    static ConfigException openFailure(String who, String device, int errno) {
        String path = "/dev/" + device;
        boolean clone = PREFIXES.contains(device);
        String why = switch (errno) {
            case errno_h.ENOENT -> clone
                    ? path + " does not exist: only root can create a tap by opening " + path
                            + " (or set sysctl net.link.tap.user_open=1), and if_tuntap must be loaded (kldload if_tuntap)"
                    : path + " does not exist: create the interface first (ifconfig " + device + " create), or run as"
                            + " root, which creates it on open (if_tuntap must be loaded: kldload if_tuntap)";
            case errno_h.EACCES, errno_h.EPERM -> "cannot open " + path + ": permission denied (run as root, or let"
                    + " this user open taps: sysctl net.link.tap.user_open=1 and a devfs rule giving it " + path + ")";
            case errno_h.EBUSY -> path + " is already open: another VM, program or virtio-net device uses it"
                    + " (give each its own tap)";
            case errno_h.ENXIO -> "cannot open " + path + ": " + HostAbi.describe(errno, true)
                    + " (the interface is being created or destroyed; try again)";
            default -> "cannot open " + path + ": " + HostAbi.describe(errno, true);
        };
        return new ConfigException(who + ": " + why);
    }

    /** The message for {@code TAPGIFNAME} failing on {@code /dev/<device>}. */
    static ConfigException interfaceNameFailure(String who, String device, int errno) {
        return new ConfigException(who + ": cannot read the interface name of /dev/" + device + ": "
                + HostAbi.describe(errno, true) + (errno == errno_h.ENOTTY ? " (it is not a tap device)" : ""));
    }

    /** The message for {@code SIOCSIFFLAGS} refusing to set {@code IFF_UP} on {@code ifname}. */
    static ConfigException bringUpFailure(String who, String ifname, int errno) {
        return new ConfigException(who + ": cannot bring " + ifname + " up: " + HostAbi.describe(errno, true)
                + (errno == errno_h.EPERM || errno == errno_h.EACCES
                ? " (run as root, or bring it up beforehand: ifconfig " + ifname
                        + " up, or sysctl net.link.tap.up_on_open=1)"
                : ""));
    }

    @Override
    public int headerBytes() {
        return 0;
    }

    @Override
    public boolean offloads() {
        return false;
    }

    /** Only "none" is possible: the device carries no virtio-net header. */
    @Override
    public void setOffloads(int tunFlags) throws IOException {
        if (tunFlags != 0) {
            throw new IOException(name() + " carries no virtio-net header: offloads 0x" + Integer.toHexString(tunFlags)
                    + " cannot be passed");
        }
    }
}
