package org.jbhyve.doctor.common;

import org.jbhyve.doctor.Platform;
import org.jbhyve.doctor.Result;
import org.jbhyve.doctor.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommonChecksTest {
    static Platform platform(String os, String arch, String java, boolean nativeAccess, boolean deny) {
        return new Platform(os, "1", arch, Runtime.Version.parse(java), "/jdk", nativeAccess, deny, "u");
    }

    @Test
    void jdkVersion() {
        assertThat(new JdkCheck(platform("Linux", "amd64", "25.0.1", true, false)).run().status()).isEqualTo(Status.OK);
        assertThat(new JdkCheck(platform("Linux", "amd64", "26", true, false)).run().status()).isEqualTo(Status.OK);
        Result old = new JdkCheck(platform("Linux", "amd64", "21.0.5", true, false)).run();
        assertThat(old.status()).isEqualTo(Status.FAIL);
        assertThat(old.message()).contains("21.0.5", "too old", "25 or later");
        assertThat(old.fix()).contains("JAVA_HOME");
    }

    @Test
    void nativeAccess() {
        assertThat(new NativeAccessCheck(platform("Linux", "amd64", "25", true, false)).run().status())
                .isEqualTo(Status.OK);
        Result warn = new NativeAccessCheck(platform("Linux", "amd64", "25", false, false)).run();
        assertThat(warn.status()).isEqualTo(Status.WARN);
        assertThat(warn.fix()).contains("--enable-native-access=ALL-UNNAMED");
        assertThat(new NativeAccessCheck(platform("Linux", "amd64", "25", false, true)).run().status())
                .isEqualTo(Status.FAIL);
    }

    @Test
    void osAndArch() {
        assertThat(new PlatformCheck(platform("Linux", "amd64", "25", true, false)).run().status()).isEqualTo(Status.OK);
        assertThat(new PlatformCheck(platform("FreeBSD", "amd64", "25", true, false)).run().message())
                .contains("libvmmapi and /dev/vmm");
        assertThat(new PlatformCheck(platform("Linux", "x86_64", "25", true, false)).run().status()).isEqualTo(Status.OK);
        Result arm = new PlatformCheck(platform("Linux", "aarch64", "25", true, false)).run();
        assertThat(arm.status()).isEqualTo(Status.FAIL);
        assertThat(arm.message()).contains("aarch64");
        Result mac = new PlatformCheck(platform("Mac OS X", "amd64", "25", true, false)).run();
        assertThat(mac.status()).isEqualTo(Status.FAIL);
        assertThat(mac.message()).contains("only on FreeBSD (vmm.ko) and Linux (KVM)");
    }
}
