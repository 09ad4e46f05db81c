/**
 * The running VM's control socket ({@link org.jbhyve.bhyve.control.ControlServer}) and what it asks of
 * the VM ({@link org.jbhyve.bhyve.control.VmControl}).
 *
 * <h2>Protocol</h2>
 * An {@code AF_UNIX} {@code SOCK_STREAM} socket at {@code <control.dir>/<vmname>} (default
 * {@code /var/run/bhyve/<vmname>}, mode 0600). A client connects and sends one nvlist (libnv's
 * {@code nvlist_send}: flags 0, descriptors by {@code SCM_RIGHTS}) with a string {@code cmd}:
 * <table>
 * <caption>Requests</caption>
 * <tr><th>cmd</th><th>other pairs</th><th>does</th></tr>
 * <tr><td>{@code checkpoint}</td><td>string {@code filename}, bool {@code suspend}, descriptor
 *     {@code fddir}</td><td>bhyve's own request, byte for byte what {@code bhyvectl --checkpoint/--suspend}
 *     sends: writes snapshot {@code filename} (a plain name, at most 255 bytes) in the directory
 *     {@code fddir}; with {@code suspend} the VM then exits with status 0</td></tr>
 * <tr><td>{@code destroy}</td><td>-</td><td>jbhyve only: ends the VM, bhyve exits with 4</td></tr>
 * <tr><td>{@code force-poweroff}</td><td>-</td><td>jbhyve only: ends the VM as powered off, exit 1</td></tr>
 * <tr><td>{@code force-reset}</td><td>-</td><td>jbhyve only: ends the VM as reset, exit 0</td></tr>
 * <tr><td>{@code get-stats}</td><td>-</td><td>jbhyve only: returns the VM's counters</td></tr>
 * <tr><td>{@code restore}</td><td>string {@code filename}</td><td>jbhyve only: a standby bhyve
 *     ({@code restore.standby=true}) restores the snapshot at that absolute path and starts it; a bhyve
 *     that runs a VM refuses with EBUSY</td></tr>
 * </table>
 * Unlike C bhyve, jbhyve then sends one reply nvlist on the same connection: number {@code error} (0, or
 * an errno-like code from {@link org.jbhyve.bhyve.control.ControlProtocol}, the same number on FreeBSD
 * and Linux), string {@code message} (what was done, or what went wrong), and for {@code get-stats} a
 * nested nvlist {@code stats} of numbers. Every request gets a reply, refused ones included (missing or
 * mistyped pairs, a bad file name, an unknown command, malformed bytes). A client that does not read it
 * (C bhyvectl closes right after sending) loses nothing: the server notices quietly and goes on.
 * Each connection is read on its own thread, so a client that is slow or stalls delays nobody else. The
 * requests that act on the VM (checkpoint, restore, destroy, force-poweroff, force-reset) are served one
 * at a time, in the order their connections were accepted; get-stats is answered at once, also while
 * one of them runs. At most 16 connections are open at once: a newer one makes room by cutting off the
 * oldest client still sending its request, or, when none is, is refused at once with EBUSY
 * ({@link org.jbhyve.bhyve.control.ControlServer} has the details).
 */
package org.jbhyve.bhyve.control;
