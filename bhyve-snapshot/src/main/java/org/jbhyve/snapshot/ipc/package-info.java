/**
 * The checkpoint socket transport: nvlists over {@code AF_UNIX} {@code SOCK_STREAM} sockets with
 * descriptor passing, through FFM, because Java's {@code UnixDomainSocketAddress} channels cannot pass
 * descriptors. Wire-compatible with libnv's {@code nvlist_send}/{@code nvlist_recv}, so bhyvectl and
 * bhyve (the C originals) can be either end.
 *
 * <ul>
 * <li>{@link org.jbhyve.snapshot.ipc.NvSocket}: send and receive one nvlist on a connected socket,
 *     with timeouts and receive limits (1 MiB, 64 descriptors for the control socket).</li>
 * <li>{@link org.jbhyve.snapshot.ipc.UnixSocket}: connect (bhyvectl's side), socket pairs.</li>
 * <li>{@link org.jbhyve.snapshot.ipc.UnixServerSocket}: bind (replacing stale sockets, refusing live
 *     ones), mode 0600, accept with a timeout, unlink on close.</li>
 * <li>{@link org.jbhyve.snapshot.ipc.NvListServer}: bhyve's checkpoint-thread loop.</li>
 * </ul>
 *
 * <p>Runs on Linux and FreeBSD (amd64); the OS is detected at run time and the matching structure
 * layouts and constants are used ({@code SocketAbi}). All of them come from bindings: the socket calls
 * from {@code org.jbhyve.bindings.libc.libc_h}, the structures from
 * {@code org.jbhyve.bindings.linux.socket} and {@code org.jbhyve.bindings.freebsd.socket}, and the
 * constants that differ from {@code libc_h}/{@code Errno} (Linux) and
 * {@code org.jbhyve.bindings.freebsd.socket.socket_h}/{@code org.jbhyve.bindings.freebsd.libc.errno_h}
 * (FreeBSD).
 */
package org.jbhyve.snapshot.ipc;
