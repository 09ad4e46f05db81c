package org.jbhyve.bindings.freebsd.net;

import org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FreeBSD amd64 net/if.h, net/if_tap.h (+ net/if_tun.h) and sys/sockio.h facts for the tap backend.
 * Not in shared/reference/freebsd-bhyve.md; the values come from the FreeBSD headers (quoted at each
 * assertion) and bindings/jextract/freebsd/regenerate.sh compares them on a FreeBSD host. The ioctl
 * numbers are also the ones other FreeBSD tap users hard-code (0x4020745d for TUNGIFNAME,
 * 0xc0206911 for SIOCGIFFLAGS).
 */
class FreeBsdNetTest {

    /** net/if.h: {@code struct ifreq { char ifr_name[IFNAMSIZ]; union { ... } ifr_ifru; }}, 32 bytes on amd64. */
    @Test
    void ifreqLayout() {
        assertThat(ifreq.sizeof()).isEqualTo(32);
        assertThat(ifreq.layout().byteAlignment()).as("the union holds pointers (caddr_t ifru_data)").isEqualTo(8);
        assertThat(ifreq.ifr_name$offset()).isZero();
        assertThat(ifreq.ifr_name$layout().byteSize()).isEqualTo(net_h.IFNAMSIZ).isEqualTo(16);
        assertThat(ifreq.ifr_ifru$offset()).isEqualTo(16);
        assertThat(ifreq.ifr_ifru$layout().byteSize()).as("struct sockaddr, the largest member").isEqualTo(16);
        // "#define ifr_flags ifr_ifru.ifru_flags[0] /* flags (low 16 bits) */"
        assertThat(ifreq.ifr_flags$offset()).isEqualTo(16);
    }

    @Test
    void ifrFlagsIsTheFirstShortOfTheUnion() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = ifreq.allocate(a);
            ifreq.ifr_flags(r, (short) 0x8843);
            assertThat(r.get(ValueLayout.JAVA_SHORT, 16)).isEqualTo((short) 0x8843);
            assertThat(r.get(ValueLayout.JAVA_SHORT, 18)).as("ifr_flagshigh untouched").isZero();
            r.set(ValueLayout.JAVA_SHORT, 16, (short) 0x0003);
            assertThat(ifreq.ifr_flags(r)).isEqualTo((short) 3);
        }
    }

    @Test
    void constants() {
        // net/if.h: "#define IFNAMSIZ IF_NAMESIZE" (16), "#define IFF_UP 0x1 /* (n) interface is up */"
        assertThat(net_h.IFNAMSIZ).isEqualTo(16);
        assertThat(net_h.IFF_UP).isEqualTo(1);
    }

    @Test
    void ioctlRequests() {
        // net/if_tap.h: "#define TAPGIFNAME TUNGIFNAME"; net/if_tun.h: "#define TUNGIFNAME _IOR('t', 93, struct ifreq)"
        assertThat(net_h.TAPGIFNAME).isEqualTo(0x4020745dL);
        // sys/sockio.h: "#define SIOCSIFFLAGS _IOW('i', 16, struct ifreq)", "SIOCGIFFLAGS _IOWR('i', 17, struct ifreq)"
        assertThat(net_h.SIOCSIFFLAGS).isEqualTo(0x80206910L);
        assertThat(net_h.SIOCGIFFLAGS).isEqualTo(0xc0206911L);
        assertThat(FreeBsdIoctl.IOCPARM_LEN(net_h.SIOCGIFFLAGS)).isEqualTo((int) ifreq.sizeof());
        assertThat(FreeBsdIoctl.IOCGROUP(net_h.TAPGIFNAME)).isEqualTo('t');
        assertThat(FreeBsdIoctl.IOCDIR(net_h.TAPGIFNAME)).isEqualTo(FreeBsdIoctl.IOC_OUT);
    }
}
