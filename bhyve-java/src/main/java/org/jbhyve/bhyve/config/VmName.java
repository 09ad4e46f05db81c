package org.jbhyve.bhyve.config;

import java.nio.charset.StandardCharsets;

/**
 * What a VM name may be. It names the VM's control socket file ({@code control.dir/NAME}), its KVM VM and
 * memfd, and its log lines: 1 to {@link #MAX_BYTES} bytes of UTF-8, no '/' or NUL, not '.' or '..'. One
 * rule for the VM a bhyve builds and for a standby's socket, which may exist without a VM.
 */
public final class VmName {
    /** The longest VM name, in UTF-8 bytes. */
    public static final int MAX_BYTES = 200;

    private VmName() {}

    /** Why {@code name} cannot name a VM, or null when it can. */
    public static String problem(String name) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0 || name.equals(".") || name.equals("..")) {
            String shown = (name.length() > 40 ? name.substring(0, 40) + "..." : name).replaceAll("\\p{Cntrl}", "?");
            return "VM name '" + shown + "' cannot be used: it names the VM's control socket file, so it must be 1 to "
                    + MAX_BYTES + " bytes (UTF-8) without '/' and not '.' or '..'";
        }
        return null;
    }
}
