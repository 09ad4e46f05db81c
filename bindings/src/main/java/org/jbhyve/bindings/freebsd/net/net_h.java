// Hand-written FFM binding in the shape jextract generates (see bindings/jextract/freebsd/README.md).
// FreeBSD amd64 net/if.h, net/if_tun.h + net/if_tap.h and sys/sockio.h facts a tap backend needs;
// pinned by FreeBsdNetTest. Not in shared/reference/freebsd-bhyve.md: taken from FreeBSD's headers,
// and compared with the real ones by bindings/jextract/freebsd/regenerate.sh on a FreeBSD host.

package org.jbhyve.bindings.freebsd.net;

import static org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl._IOR;
import static org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl._IOW;
import static org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl._IOWR;

/**
 * The tap(4) and interface-flag ioctls bhyve's tap backend uses (usr.sbin/bhyve/net_backends.c,
 * {@code tap_init}): the tap device's interface name, then the interface's flags through a socket, to
 * set {@code IFF_UP}. Ioctl requests are built with {@link org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl}
 * from {@link ifreq#sizeof()}, as the C macros are.
 */
public class net_h {

    net_h() {
        // Should not be called directly
    }

    /** Bytes of an interface name, the NUL included (net/if.h; Linux's is 16 too). */
    public static final int IFNAMSIZ = 16;
    /** Interface flag: administratively up (net/if.h). A tap drops what is written to it while down. */
    public static final int IFF_UP = 0x1;

    /**
     * {@code TAPGIFNAME}, an alias of {@code TUNGIFNAME = _IOR('t', 93, struct ifreq)} (net/if_tap.h,
     * net/if_tun.h): the interface name of an open tap device = 0x4020745d.
     */
    public static final long TAPGIFNAME = _IOR('t', 93, ifreq.sizeof());
    /** {@code SIOCSIFFLAGS = _IOW('i', 16, struct ifreq)} (sys/sockio.h) = 0x80206910. */
    public static final long SIOCSIFFLAGS = _IOW('i', 16, ifreq.sizeof());
    /** {@code SIOCGIFFLAGS = _IOWR('i', 17, struct ifreq)} (sys/sockio.h) = 0xc0206911. */
    public static final long SIOCGIFFLAGS = _IOWR('i', 17, ifreq.sizeof());
}
