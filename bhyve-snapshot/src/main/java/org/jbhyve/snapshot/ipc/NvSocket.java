package org.jbhyve.snapshot.ipc;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.linux.socket.iovec;
import org.jbhyve.snapshot.nv.NvException;
import org.jbhyve.snapshot.nv.NvList;
import org.jbhyve.snapshot.nv.NvPacker;
import org.jbhyve.snapshot.nv.NvUnpacker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * nvlists over a connected {@code AF_UNIX} {@code SOCK_STREAM} socket, the way FreeBSD's libnv
 * {@code nvlist_send}/{@code nvlist_recv} (lib/libnv/msgio.c) do it, so that either end can be the C
 * original (bhyvectl sends its checkpoint request this way; bhyve receives it).
 *
 * <h2>Sending</h2>
 * The packed list ({@link NvPacker}: descriptors replaced by their index in packing order) is written
 * with plain {@code send} calls. If the list holds descriptors, one more message follows: a single
 * {@code 0x00} byte with the descriptors as {@code SCM_RIGHTS}, one control message per descriptor,
 * at most {@value #FDS_PER_MESSAGE} descriptors per {@code sendmsg} (libnv's
 * {@code MCLBYTES / CMSG_SPACE(sizeof(int)) - 1} on FreeBSD).
 *
 * <h2>Receiving</h2>
 * The 19-byte header is read and checked before anything else: magic, flag bits, the flags the caller
 * expects, and two limits libnv does not have, {@link Limits#maxMessageSize()} (1 MiB for the
 * control socket, so that a hostile peer cannot make us allocate gigabytes by announcing them) and
 * {@link Limits#maxDescriptors()}. Then the {@code nvlh_size} bytes that follow, then the announced
 * descriptors with {@code recvmsg} (received close-on-exec; a message with more descriptors than
 * announced, or with other control data, is refused and everything it carried is closed), then the
 * list is unpacked. On any failure every received descriptor is closed; on success descriptors the
 * list does not refer to are closed, and the rest belong to the caller ({@link #closeDescriptors}).
 *
 * <p>Every wait is bounded: a peer that sends part of a message and stalls gets an
 * {@link IpcTimeoutException} once the timeout passes; one that closes early gets an
 * {@link IpcException}. Sockets may be blocking or not: all I/O is {@code poll} followed by a
 * non-blocking call ({@code MSG_DONTWAIT}), with {@code MSG_NOSIGNAL} so a vanished peer is an
 * {@code EPIPE} error rather than a {@code SIGPIPE}.
 */
public final class NvSocket {
    private NvSocket() {}

    /** Descriptors per {@code SCM_RIGHTS} message, as libnv sends them: 2048 / 24 − 1. */
    public static final int FDS_PER_MESSAGE = 84;

    /** Used by {@link #send(int, NvList)} when the peer does not read. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What a receiver accepts.
     *
     * @param maxMessageSize  the largest packed list, header included
     * @param maxDescriptors  the most descriptors a message may announce
     */
    public record Limits(long maxMessageSize, int maxDescriptors) {
        /**
         * The checkpoint control socket: 1 MiB (bhyvectl's request is 148 bytes) and 64 descriptors
         * (it passes one).
         */
        public static final Limits CONTROL = new Limits(1 << 20, 64);

        public Limits {
            if (maxMessageSize < 19 || maxMessageSize > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " outside 19.." + (Integer.MAX_VALUE - 16));
            }
            if (maxDescriptors < 0 || maxDescriptors > 65536) {
                throw new IllegalArgumentException("maxDescriptors " + maxDescriptors + " outside 0..65536");
            }
        }
    }

    private static final SocketAbi ABI = Sys.ABI;

    // ---- send -----------------------------------------------------------------------------------

    /** {@code nvlist_send}, waiting at most {@link #DEFAULT_SEND_TIMEOUT} for the peer to take the data. */
    public static void send(int sockFd, NvList list) throws IpcException {
        send(sockFd, list, DEFAULT_SEND_TIMEOUT);
    }

    /** {@code nvlist_send}: the packed bytes, then the descriptors. */
    public static void send(int sockFd, NvList list, Duration timeout) throws IpcException {
        NvPacker.Packed packed = NvPacker.pack(list);
        long deadline = Sys.deadline(timeout);
        sendBytes(sockFd, packed.bytes(), deadline);
        int[] fds = packed.descriptors();
        for (int i = 0; i < fds.length; i += FDS_PER_MESSAGE) {
            sendDescriptors(sockFd, Arrays.copyOfRange(fds, i, Math.min(fds.length, i + FDS_PER_MESSAGE)), deadline);
        }
    }

    /** Writes all of {@code data}. */
    static void sendBytes(int sockFd, byte[] data, long deadline) throws IpcException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            long off = 0;
            while (off < data.length) {
                long n = libc_h.send(err, sockFd, buf.asSlice(off), data.length - off,
                        ABI.MSG_DONTWAIT() | ABI.MSG_NOSIGNAL());
                if (n > 0) {
                    off += n;
                    continue;
                }
                int e = n < 0 ? Sys.errno(err) : ABI.EAGAIN();
                if (e == Errno.EINTR) continue;
                if (e != ABI.EAGAIN()) {
                    throw Sys.fail("cannot send the nvlist on socket " + sockFd + " (" + off + " of " + data.length
                            + " bytes sent)", e);
                }
                if (!await(sockFd, libc_h.POLLOUT, deadline)) {
                    throw new IpcTimeoutException("timed out sending the nvlist on socket " + sockFd + ": the peer took "
                            + off + " of " + data.length + " bytes and stopped reading");
                }
            }
        }
    }

    /** One {@code sendmsg}: a 0x00 byte and one {@code SCM_RIGHTS} control message per descriptor. */
    static void sendDescriptors(int sockFd, int[] fds, long deadline) throws IpcException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            MemorySegment dummy = a.allocate(1);
            MemorySegment iov = iovec.allocate(a);
            iovec.iov_base(iov, dummy);
            iovec.iov_len(iov, 1);
            long space = ABI.cmsgSpace(Integer.BYTES);
            MemorySegment control = a.allocate(space * fds.length, 8);
            for (int i = 0; i < fds.length; i++) {
                ABI.cmsgHeader(control, i * space, ABI.cmsgLen(Integer.BYTES), ABI.SOL_SOCKET(), libc_h.SCM_RIGHTS);
                control.set(ValueLayout.JAVA_INT_UNALIGNED, i * space + ABI.cmsgDataOffset(), fds[i]);
            }
            MemorySegment msg = ABI.msghdr(a, iov, control, control.byteSize());
            while (true) {
                long n = libc_h.sendmsg(err, sockFd, msg, ABI.MSG_DONTWAIT() | ABI.MSG_NOSIGNAL());
                if (n == 1) return;
                int e = n < 0 ? Sys.errno(err) : ABI.EAGAIN();
                if (e == Errno.EINTR) continue;
                if (e != ABI.EAGAIN()) {
                    throw Sys.fail("cannot pass descriptors " + Arrays.toString(fds) + " on socket " + sockFd, e);
                }
                if (!await(sockFd, libc_h.POLLOUT, deadline)) {
                    throw new IpcTimeoutException("timed out passing descriptors on socket " + sockFd
                            + ": the peer stopped reading");
                }
            }
        }
    }

    /**
     * Waits (poll) for {@code events} on {@code fd}; false once the deadline has passed, so the caller
     * retries its non-blocking call after a wakeup and gives up after a timeout.
     */
    private static boolean await(int fd, short events, long deadline) throws IpcException {
        int ms = Sys.millisLeft(deadline);
        if (ms == 0) return false;
        Sys.poll(fd, events, ms, "waiting on socket " + fd);
        return true;
    }

    // ---- receive --------------------------------------------------------------------------------

    /** {@code nvlist_recv} with the control-socket {@link Limits#CONTROL limits}. */
    public static NvList receive(int sockFd, int expectedFlags, Duration timeout) throws IpcException {
        return receive(sockFd, expectedFlags, timeout, Limits.CONTROL);
    }

    /**
     * {@code nvlist_recv}: one whole message within {@code timeout}.
     *
     * @return the list, read-only; its descriptors are open and belong to the caller
     * @throws NvException   the message is malformed, too large, or has other flags than expected
     * @throws IpcException  the socket failed, the peer closed early, or the timeout passed
     *                       ({@link IpcTimeoutException})
     */
    public static NvList receive(int sockFd, int expectedFlags, Duration timeout, Limits limits) throws IpcException {
        long deadline = Sys.deadline(timeout);
        byte[] header = receiveBytes(sockFd, 19, deadline, "nvlist header");
        ByteBuffer h = ByteBuffer.wrap(header);
        checkHeader(h, expectedFlags, limits);
        h.order((header[2] & 0x80) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int ndesc = (int) h.getLong(3);
        int size = (int) h.getLong(11);
        byte[] message = new byte[19 + size];
        System.arraycopy(header, 0, message, 0, 19);
        if (size > 0) {
            byte[] body = receiveBytes(sockFd, size, deadline, "nvlist of " + message.length + " bytes");
            System.arraycopy(body, 0, message, 19, size);
        }
        int[] fds = ndesc > 0 ? receiveDescriptors(sockFd, ndesc, deadline) : new int[0];
        NvList list;
        try {
            list = NvUnpacker.unpack(message, expectedFlags, fds);
        } catch (RuntimeException e) {
            for (int fd : fds) Sys.close(fd);
            throw e;
        }
        Set<Integer> used = new HashSet<>();
        for (int fd : list.descriptors()) used.add(fd);
        for (int fd : fds) if (!used.contains(fd)) Sys.close(fd);
        return list;
    }

    /** The checks that can be made on the header alone, before anything is allocated for the rest. */
    private static void checkHeader(ByteBuffer h, int expectedFlags, Limits limits) {
        int magic = h.get(0) & 0xff;
        if (magic != 0x6c) {
            throw new NvException(NvException.Code.EINVAL, 0, "bad nvlist magic 0x" + Integer.toHexString(magic)
                    + " (expected 0x6c): the peer does not speak libnv");
        }
        int flags = h.get(2) & 0xff;
        if ((flags & ~0x83) != 0) {
            throw new NvException(NvException.Code.EINVAL, 2, "unknown nvlist flag bits 0x" + Integer.toHexString(flags & ~0x83));
        }
        if ((flags & 0x03) != expectedFlags) {
            throw new NvException(NvException.Code.EILSEQ, 2, "nvlist flags 0x" + Integer.toHexString(flags & 3)
                    + " differ from the expected 0x" + Integer.toHexString(expectedFlags));
        }
        h.order((flags & 0x80) != 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long descriptors = h.getLong(3);
        long size = h.getLong(11);
        if (Long.compareUnsigned(size, limits.maxMessageSize() - 19) > 0) {
            throw new NvException(NvException.Code.EMSGSIZE, 11, "nvlh_size " + Long.toUnsignedString(size)
                    + " announces a message larger than the " + limits.maxMessageSize() + " bytes this socket accepts");
        }
        if (Long.compareUnsigned(descriptors, limits.maxDescriptors()) > 0) {
            throw new NvException(NvException.Code.EMSGSIZE, 3, "header announces " + Long.toUnsignedString(descriptors)
                    + " descriptors, more than the " + limits.maxDescriptors() + " this socket accepts");
        }
    }

    /** Reads exactly {@code n} bytes (no control data: descriptors sent alongside are discarded by the kernel). */
    static byte[] receiveBytes(int sockFd, int n, long deadline, String what) throws IpcException {
        byte[] out = new byte[n];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            MemorySegment buf = a.allocate(Math.min(n, 64 * 1024));
            int got = 0;
            while (got < n) {
                long r = libc_h.recv(err, sockFd, buf, Math.min(buf.byteSize(), n - got), ABI.MSG_DONTWAIT());
                if (r > 0) {
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, out, got, (int) r);
                    got += (int) r;
                    continue;
                }
                if (r == 0) {
                    throw new IpcException("the peer closed the connection after " + got + " of the " + n
                            + " bytes of the " + what);
                }
                int e = Sys.errno(err);
                if (e == Errno.EINTR) continue;
                if (e != ABI.EAGAIN()) throw Sys.fail("cannot receive the " + what + " on socket " + sockFd, e);
                if (!await(sockFd, libc_h.POLLIN, deadline)) {
                    throw new IpcTimeoutException("timed out waiting for the " + what + " on socket " + sockFd + ": "
                            + got + " of " + n + " bytes received" + (got > 0 ? ", then the peer stalled" : ""));
                }
            }
        }
        return out;
    }

    /**
     * Receives {@code n} descriptors the way libnv's fd_recv does: messages of one byte carrying at
     * most {@link #FDS_PER_MESSAGE} descriptors each. Anything unexpected closes every descriptor
     * received so far.
     */
    static int[] receiveDescriptors(int sockFd, int n, long deadline) throws IpcException {
        int[] out = new int[n];
        int got = 0;
        try {
            while (got < n) {
                int step = Math.min(n - got, FDS_PER_MESSAGE);
                int[] batch = receiveDescriptorMessage(sockFd, step, deadline, got, n);
                System.arraycopy(batch, 0, out, got, batch.length);
                got += batch.length;
            }
            return out;
        } catch (IpcException | RuntimeException e) {
            for (int i = 0; i < got; i++) Sys.close(out[i]);
            throw e;
        }
    }

    private static int[] receiveDescriptorMessage(int sockFd, int step, long deadline, int got, int n) throws IpcException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Sys.errnoState(a);
            MemorySegment dummy = a.allocate(1);
            MemorySegment iov = iovec.allocate(a);
            iovec.iov_base(iov, dummy);
            iovec.iov_len(iov, 1);
            long space = ABI.cmsgSpace(Integer.BYTES) * step;
            MemorySegment control = a.allocate(space, 8);
            MemorySegment msg = ABI.msghdr(a, iov, control, space);
            long r;
            while (true) {
                r = libc_h.recvmsg(err, sockFd, msg, ABI.MSG_DONTWAIT() | ABI.MSG_CMSG_CLOEXEC());
                if (r >= 0) break;
                int e = Sys.errno(err);
                if (e == Errno.EINTR) continue;
                if (e != ABI.EAGAIN()) throw Sys.fail("cannot receive descriptors on socket " + sockFd, e);
                if (!await(sockFd, libc_h.POLLIN, deadline)) {
                    throw new IpcTimeoutException("timed out waiting for the descriptors on socket " + sockFd + ": "
                            + got + " of the " + n + " announced received");
                }
            }
            // Collect every descriptor the kernel installed before judging the message, so that all
            // of them are closed if it is refused.
            int[] fds = new int[16];
            int count = 0;
            String problem = null;
            long len = Math.min(ABI.msgControllen(msg), space);
            long off = 0;
            while (off + ABI.cmsgHeaderSize() <= len) {
                long clen = ABI.cmsgLenAt(control, off);
                if (clen < ABI.cmsgLen(0) || off + clen > len) {
                    problem = "a malformed control message";
                    break;
                }
                int level = ABI.cmsgLevelAt(control, off);
                int type = ABI.cmsgTypeAt(control, off);
                if (level == ABI.SOL_SOCKET() && type == libc_h.SCM_RIGHTS) {
                    int k = (int) ((clen - ABI.cmsgLen(0)) / Integer.BYTES);
                    for (int i = 0; i < k; i++) {
                        if (count == fds.length) fds = Arrays.copyOf(fds, count * 2);
                        fds[count++] = control.get(ValueLayout.JAVA_INT_UNALIGNED, off + ABI.cmsgDataOffset() + 4L * i);
                    }
                } else if (problem == null) {
                    problem = "a control message other than SCM_RIGHTS (level " + level + ", type " + type + ")";
                }
                off += ABI.cmsgAlign(clen);
            }
            if (problem == null && r == 0) {
                problem = "the peer closed the connection before sending the " + n + " descriptors the header announced"
                        + (got > 0 ? " (" + got + " received)" : "");
            } else if (problem == null && (ABI.msgFlags(msg) & ABI.MSG_CTRUNC()) != 0) {
                problem = "more descriptors than the " + n + " the header announced (control data truncated)";
            } else if (problem == null && count != step) {
                problem = "a descriptor message with " + count + " descriptors where " + step + " were expected ("
                        + n + " announced in all)";
            }
            if (problem != null) {
                for (int i = 0; i < count; i++) Sys.close(fds[i]);
                throw new IpcException("refusing the nvlist: the peer sent " + problem);
            }
            return Arrays.copyOf(fds, count);
        }
    }

    // ---- descriptors ----------------------------------------------------------------------------

    /**
     * Closes every descriptor a received list holds (each distinct value once), as
     * {@code nvlist_destroy} would. Errors are ignored.
     */
    public static void closeDescriptors(NvList list) {
        BitSet seen = new BitSet();
        for (int fd : list.descriptors()) {
            if (fd >= 0 && !seen.get(fd)) {
                seen.set(fd);
                Sys.close(fd);
            }
        }
    }
}
