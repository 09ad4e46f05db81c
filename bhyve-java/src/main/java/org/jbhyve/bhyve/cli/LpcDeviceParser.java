package org.jbhyve.bhyve.cli;

import java.util.Arrays;
import java.util.Locale;
import org.jbhyve.bhyve.config.ConfigException;
import org.jbhyve.bhyve.config.ConfigTree;

/**
 * {@code -l lpcdev[,conf]}, following amd64/pci_lpc.c lpc_device_parse; the device name is matched
 * ignoring case, as there.
 *
 * <ul>
 *   <li>{@code comN,BACKEND}: {@code lpc.comN.path=BACKEND}, the whole rest of the argument.
 *   <li>{@code bootrom,ROM[,VARS][,name=value...]}: {@code bootrom=ROM}, {@code bootvars=VARS}; further
 *       items (a third item with '=' is one, such as {@code fwcfg=qemu}) are set under {@code lpc}.
 *       Current bhyve keeps the boot ROM at the top level and still accepts the older
 *       {@code lpc.bootrom}/{@code lpc.bootvars} (see {@link BhyveCommandLine}).
 *   <li>{@code tpm,TYPE,PATH[,name=value...]}: {@code tpm.type}, {@code tpm.path}, further items under
 *       {@code tpm}, and {@code tpm.version=2.0} unless given.
 *   <li>{@code pc-testdev}: {@code lpc.pc-testdev=true}.
 *   <li>{@code fwcfg,bhyve|qemu}: {@code lpc.fwcfg}; bhyve(8) documents this but bhyve's parser only
 *       takes it as {@code bootrom,...,fwcfg=qemu} or {@code -o lpc.fwcfg=qemu}, which work too.
 *   <li>{@code debug-exit} (jbhyve only): {@code lpc.debug-exit=true}, the isa-debug-exit port 0xf4.
 * </ul>
 */
final class LpcDeviceParser {
    private LpcDeviceParser() {}

    static void parse(ConfigTree config, String arg) {
        int comma = arg.indexOf(',');
        String device = (comma < 0 ? arg : arg.substring(0, comma)).toLowerCase(Locale.ROOT);
        String rest = comma < 0 ? null : arg.substring(comma + 1);
        switch (device) {
            case "bootrom" -> bootrom(config, rest);
            case "tpm" -> tpm(config, rest);
            case "com1", "com2", "com3", "com4" -> {
                if (rest == null || rest.isEmpty()) {
                    throw new ConfigException(device + " needs a backend: a terminal device such as /dev/nmdm0A,"
                            + " or stdio (write -l " + device + ",/dev/nmdm0A)");
                }
                config.set("lpc." + device + ".path", rest);
            }
            case "pc-testdev" -> config.set("lpc.pc-testdev", "true"); // bhyve ignores anything after the name
            case "fwcfg" -> {
                if (!"bhyve".equals(rest) && !"qemu".equals(rest)) {
                    throw new ConfigException("fwcfg takes bhyve or qemu (write -l fwcfg,qemu)");
                }
                config.set("lpc.fwcfg", rest);
            }
            case "debug-exit" -> {
                if (rest != null) throw new ConfigException("debug-exit takes no options (write -l debug-exit)");
                config.set("lpc.debug-exit", "true");
            }
            default -> throw new ConfigException("invalid lpc device configuration '" + arg
                    + "' (run 'bhyve -l help' for the LPC devices)");
        }
    }

    private static void bootrom(ConfigTree config, String rest) {
        if (rest == null || rest.isEmpty() || rest.startsWith(",")) {
            // Not bhyve's "invalid lpc device configuration" wording: libvirt reads that as "no bootrom support".
            throw new ConfigException("invalid bootrom option: give the firmware image, as in -l bootrom,/usr/local/share/uefi-firmware/BHYVE_UEFI.fd");
        }
        String[] items = rest.split(",", -1);
        config.set("bootrom", items[0]);
        if (items.length == 1) return;
        ConfigNode lpc = new ConfigNode(config, "lpc");
        int next = 1;
        if (items[1].indexOf('=') < 0) {
            if (items[1].isEmpty()) {
                throw new ConfigException("empty variable store path after '" + items[0] + "' (write -l bootrom,ROM,VARS or leave VARS out)");
            }
            config.set("bootvars", items[1]);
            next = 2;
        }
        LegacyConfigParsers.generic(lpc, String.join(",", Arrays.asList(items).subList(next, items.length)));
    }

    private static void tpm(ConfigTree config, String rest) {
        String[] items = rest == null ? new String[0] : rest.split(",", -1);
        if (items.length < 2 || items[0].isEmpty() || items[1].isEmpty()) {
            throw new ConfigException("invalid tpm option: give the type and the device path, as in -l tpm,passthru,/dev/tpm0");
        }
        ConfigNode tpm = new ConfigNode(config, "tpm");
        tpm.set("type", items[0]);
        tpm.set("path", items[1]);
        LegacyConfigParsers.generic(tpm, String.join(",", Arrays.asList(items).subList(2, items.length)));
        tpm.setIfUnset("version", "2.0");
    }
}
