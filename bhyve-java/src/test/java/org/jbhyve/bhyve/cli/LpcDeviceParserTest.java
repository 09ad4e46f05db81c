package org.jbhyve.bhyve.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jbhyve.bhyve.cli.BhyveCommandLineTest.config;
import static org.jbhyve.bhyve.cli.BhyveCommandLineTest.error;

import org.jbhyve.bhyve.config.ConfigTree;
import org.junit.jupiter.api.Test;

/** {@code -l}: lpc_device_parse, plus jbhyve's debug-exit. */
class LpcDeviceParserTest {
    @Test
    void serialPorts() {
        ConfigTree c = config("-l", "com1,stdio", "-l", "COM2,/dev/nmdm1A", "-l", "com3,tcp=127.0.0.1:4444",
                "-l", "com4,/dev/odd,name", "vm");
        assertThat(c.getRaw("lpc.com1.path")).contains("stdio");
        assertThat(c.getRaw("lpc.com2.path")).contains("/dev/nmdm1A");
        assertThat(c.getRaw("lpc.com3.path")).contains("tcp=127.0.0.1:4444");
        assertThat(c.getRaw("lpc.com4.path")).contains("/dev/odd,name");
        assertThat(error("-l", "com1", "vm").getMessage())
                .isEqualTo("-l com1: com1 needs a backend: a terminal device such as /dev/nmdm0A, or stdio (write -l com1,/dev/nmdm0A)");
        assertThat(error("-l", "com5,stdio", "vm").getMessage())
                .isEqualTo("-l com5,stdio: invalid lpc device configuration 'com5,stdio' (run 'bhyve -l help' for the LPC devices)");
    }

    @Test
    void bootrom() {
        ConfigTree romOnly = config("-l", "bootrom,/fw/BHYVE_UEFI.fd", "vm");
        assertThat(romOnly.getRaw("bootrom")).contains("/fw/BHYVE_UEFI.fd");
        assertThat(romOnly.contains("bootvars")).isFalse();
        assertThat(romOnly.contains("lpc.bootrom")).isFalse();

        ConfigTree withVars = config("-l", "bootrom,/fw/CODE.fd,/vm/VARS.fd", "vm");
        assertThat(withVars.getRaw("bootvars")).contains("/vm/VARS.fd");

        ConfigTree qemu = config("-l", "bootrom,/fw/CODE.fd,fwcfg=qemu", "vm");
        assertThat(qemu.getRaw("lpc.fwcfg")).contains("qemu");
        assertThat(qemu.contains("bootvars")).isFalse();

        ConfigTree all = config("-l", "BootROM,/fw/CODE.fd,/vm/VARS.fd,fwcfg=qemu", "vm");
        assertThat(all.getRaw("bootvars")).contains("/vm/VARS.fd");
        assertThat(all.getRaw("lpc.fwcfg")).contains("qemu");
    }

    @Test
    void bootromWithoutAnImageIsNotReportedAsAnUnknownDevice() {
        // libvirt decides that bhyve lacks boot ROM support if "-l bootrom" says "invalid lpc device configuration".
        String message = error("-l", "bootrom", "vm").getMessage();
        assertThat(message).doesNotContain("invalid lpc device configuration");
        assertThat(message).isEqualTo("-l bootrom: invalid bootrom option: give the firmware image, as in"
                + " -l bootrom,/usr/local/share/uefi-firmware/BHYVE_UEFI.fd");
        assertThat(error("-l", "bootrom,,VARS", "vm").getMessage()).contains("invalid bootrom option");
    }

    @Test
    void tpm() {
        ConfigTree c = config("-l", "tpm,passthru,/dev/tpm0", "vm");
        assertThat(c.dump()).contains("tpm.type=passthru\ntpm.path=/dev/tpm0\ntpm.version=2.0\n");
        assertThat(config("-l", "tpm,swtpm,/var/run/swtpm.sock,version=2.0", "vm").getRaw("tpm.version")).contains("2.0");
        assertThat(error("-l", "tpm,passthru", "vm").getMessage()).contains("invalid tpm option: give the type and the device path");
    }

    @Test
    void testDevicesAndFwcfg() {
        assertThat(config("-l", "pc-testdev", "vm").getRaw("lpc.pc-testdev")).contains("true");
        assertThat(config("-l", "debug-exit", "vm").getRaw("lpc.debug-exit")).contains("true");
        assertThat(error("-l", "debug-exit,0xf4", "vm").getMessage()).contains("debug-exit takes no options");
        assertThat(config("-l", "fwcfg,qemu", "vm").getRaw("lpc.fwcfg")).contains("qemu");
        assertThat(error("-l", "fwcfg,seabios", "vm").getMessage()).contains("fwcfg takes bhyve or qemu");
    }
}
