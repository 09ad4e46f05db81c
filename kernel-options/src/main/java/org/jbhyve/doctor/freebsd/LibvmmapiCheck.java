package org.jbhyve.doctor.freebsd;

import org.jbhyve.doctor.Check;
import org.jbhyve.doctor.Result;

/** libvmmapi, the base system library jbhyve's FreeBSD backend calls, can be loaded. */
public record LibvmmapiCheck(FreeBsdHost host) implements Check {

    @Override
    public String id() { return "libvmmapi"; }

    @Override
    public Result run() {
        FreeBsdHost.Libvmmapi lib = host.libvmmapi();
        if (lib.name() != null) {
            return Result.ok(id(), "libvmmapi loads: " + lib.name()).with("library", lib.name());
        }
        return Result.fail(id(), "libvmmapi cannot be loaded: " + lib.problem(),
                "libvmmapi is part of the base system: on a pkgbase system pkg install FreeBSD-libvmmapi, otherwise"
                        + " reinstall the base set (freebsd-update fetch install); a copy elsewhere can be named with"
                        + " java -Djbhyve.libvmmapi=/path/to/libvmmapi.so.N");
    }
}
