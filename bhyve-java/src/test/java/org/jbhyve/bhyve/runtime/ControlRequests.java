package org.jbhyve.bhyve.runtime;

import java.nio.file.Path;
import java.time.Duration;

import org.jbhyve.bhyve.control.TestIo;
import org.jbhyve.snapshot.ipc.UnixSocket;
import org.jbhyve.snapshot.nv.NvList;

/** What bhyvectl sends a VM's control socket, for the runtime's KVM tests: one request per connection. */
final class ControlRequests {
    private ControlRequests() {}

    /** Sends {@code request} on a new connection to {@code socket} and returns the reply. */
    static NvList request(Path socket, NvList request, Duration timeout) throws Exception {
        try (UnixSocket c = UnixSocket.connect(socket)) {
            c.send(request, timeout);
            return c.receive(0, timeout);
        }
    }

    /** bhyvectl's checkpoint message: the file's name and its directory as a descriptor ({@code fddir}). */
    static NvList checkpointMessage(String file, boolean suspend, int dirFd) {
        return new NvList().addString("cmd", "checkpoint").addString("filename", file).addBool("suspend", suspend)
                .addDescriptor("fddir", dirFd);
    }

    /** A checkpoint (or suspend) of {@code dir/file}, the directory opened as bhyvectl opens it. */
    static NvList checkpoint(Path socket, Path dir, String file, boolean suspend, Duration timeout) throws Exception {
        int fd = TestIo.openDirectory(dir);
        try {
            return request(socket, checkpointMessage(file, suspend, fd), timeout);
        } finally {
            TestIo.close(fd);
        }
    }
}
