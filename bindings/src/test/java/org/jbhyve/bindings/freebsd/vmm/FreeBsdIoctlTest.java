package org.jbhyve.bindings.freebsd.vmm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jbhyve.bindings.freebsd.vmm.FreeBsdIoctl.*;

/**
 * The {@code <sys/ioccom.h>} encoding. Expected numbers are from
 * shared/reference/freebsd-bhyve.md section 2 ("Key ioctls": {@code _IOW} = 0x8..., {@code _IOWR} =
 * 0xC..., {@code _IOR} = 0x4...) and section 1d.
 */
class FreeBsdIoctlTest {

    @Test
    void directionBitsAndMaskHaveTheFreeBsdValues() {
        assertThat(IOC_VOID).isEqualTo(0x20000000L);
        assertThat(IOC_OUT).isEqualTo(0x40000000L);
        assertThat(IOC_IN).isEqualTo(0x80000000L);
        assertThat(IOC_INOUT).isEqualTo(0xC0000000L);
        assertThat(IOCPARM_MASK).isEqualTo(0x1fff);
    }

    @Test
    void encodesTheReferenceExamples() {
        assertThat(_IOW('v', 1, 32)).isEqualTo(0x80207601L);      // VM_RUN
        assertThat(_IO('v', 5)).isEqualTo(0x20007605L);           // VM_REINIT
        assertThat(_IOWR('v', 113, 64)).isEqualTo(0xC0407671L);   // VM_SNAPSHOT_REQ
        assertThat(_IOWR('v', 115, 4)).isEqualTo(0xC0047673L);    // VM_RESTORE_TIME
        assertThat(_IOR('v', 38, 4)).isEqualTo(0x40047626L);      // VM_IOAPIC_PINCOUNT
        assertThat(_IOWR('V', 0, 296)).isEqualTo(0xC1285600L);    // VMMCTL_VM_CREATE
    }

    @Test
    void requestsAreNonNegativeUnsignedLongs() {
        assertThat(_IOWR('v', 0xff, IOCPARM_MASK)).isPositive().isEqualTo(0xDFFF76FFL);
    }

    @Test
    void rejectsSizesOverTheMask() {
        assertThat(_IOW('v', 1, IOCPARM_MASK)).isEqualTo(0x9FFF7601L);
        assertThatThrownBy(() -> _IOW('v', 1, IOCPARM_MASK + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8192");
        assertThatThrownBy(() -> _IOR('v', 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> _IOWR('v', 1, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsGroupsNumbersAndDirectionsOutOfRange() {
        assertThatThrownBy(() -> _IOW(256, 1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> _IOW('v', 256, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> _IOW(-1, 1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> _IOC(0x10000000L, 'v', 1, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodersInvertTheEncoding() {
        long request = _IOWR('v', 113, 64);
        assertThat(IOCPARM_LEN(request)).isEqualTo(64);
        assertThat(IOCGROUP(request)).isEqualTo('v');
        assertThat(IOCNUM(request)).isEqualTo(113);
        assertThat(IOCDIR(request)).isEqualTo(IOC_INOUT);
        assertThat(IOCBASECMD(request)).isEqualTo(0xC0007671L);
        assertThat(_IOWINT('v', 7)).isEqualTo(0x20047607L);
    }
}
