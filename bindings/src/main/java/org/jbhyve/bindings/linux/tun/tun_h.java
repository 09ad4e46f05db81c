// Hand-written in the shape jextract generates; see bindings/jextract/linux/. Checked against
// the installed C headers by LinuxLayoutTest (every constant compared with the C macro of its name).
package org.jbhyve.bindings.linux.tun;

/**
 * The Linux TUN/TAP interface ({@code <linux/if_tun.h>}): the ioctls that attach an open
 * {@code /dev/net/tun} to a tap interface and configure its virtio-net header and offloads, and the
 * few {@code <net/if.h>}, {@code <sys/socket.h>}, {@code <linux/if_ether.h>} and
 * {@code <sys/ioctl.h>} numbers a packet socket bound to such an interface needs. The ioctls are
 * called with {@link org.jbhyve.bindings.libc.libc_h#ioctl}.
 */
public final class tun_h {
    private tun_h() {}

    /** {@code _IOW('T', 202, int)}: attaches the file to (or creates) the interface named in a {@link ifreq}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOR('T', 207, unsigned int)}: the IFF_* flags this kernel's tun driver supports. */
    public static final long TUNGETFEATURES = 0x800454cfL;
    /** {@code _IOW('T', 208, unsigned int)}: which TUN_F_* offloads the reader accepts. */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOR('T', 210, unsigned int)}: the attached interface's {@link ifreq}. */
    public static final long TUNGETIFF = 0x800454d2L;
    /** {@code _IOW('T', 216, int)}: the size of the virtio-net header before every frame. */
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;

    public static final int IFF_TUN = 0x0001, IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;

    public static final int TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04, TUN_F_TSO_ECN = 0x08;

    /** {@code <net/if.h>}: interface names are at most 15 bytes and a NUL. */
    public static final int IFNAMSIZ = 16;
    /** {@code <sys/ioctl.h>}: an interface's index from its name, on any socket. */
    public static final long SIOCGIFINDEX = 0x8933L;

    /** {@code <sys/socket.h>}: packet sockets, raw frames. */
    public static final int AF_PACKET = 17, SOCK_RAW = 3;
    /** {@code <linux/if_ether.h>}: every protocol (network byte order when given to socket or bind). */
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_HLEN = 14, ETH_ALEN = 6;
}
