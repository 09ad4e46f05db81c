package org.jbhyve.bhyve.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.jbhyve.bindings.libc.Errno;
import org.jbhyve.bindings.libc.libc_h;
import org.jbhyve.bindings.libc.pollfd;
import org.jbhyve.bindings.linux.tun.ifreq;
import org.jbhyve.bindings.linux.tun.sockaddr_ll;
import org.jbhyve.bindings.linux.tun.tun_h;

/**
 * The far end of a tap, run with {@code ip netns exec NS java ... NetnsPeer IFNAME GUEST_MAC PAYLOAD}
 * inside the namespace holding the tap: a packet socket bound to the interface for EtherType 0x88b5
 * sends one frame to the guest's MAC carrying PAYLOAD, then waits (60 s) for a 0x88b5 frame and
 * prints {@code got <source mac> <payload>}. Exit status 0, or 1 with a message on stderr.
 */
public final class NetnsPeer {
    static final int ETHERTYPE = 0x88b5;
    static final byte[] PEER_MAC = {0x02, 0x6a, 0x62, 0x68, 0x76, 0x01};

    public static void main(String[] args) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = libc_h.allocateErrnoState(a);
            short proto = Short.reverseBytes((short) ETHERTYPE);
            int s = libc_h.socket(err, tun_h.AF_PACKET, tun_h.SOCK_RAW, Short.toUnsignedInt(proto));
            if (s < 0) die("socket(AF_PACKET): " + Errno.describe(libc_h.errno(err)));
            MemorySegment req = ifreq.allocate(a);
            byte[] name = args[0].getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(name, 0, ifreq.ifr_name(req), ValueLayout.JAVA_BYTE, 0, name.length);
            if (libc_h.ioctl(err, s, tun_h.SIOCGIFINDEX, req) != 0) die("SIOCGIFINDEX " + args[0] + ": " + Errno.describe(libc_h.errno(err)));
            MemorySegment addr = sockaddr_ll.allocate(a);
            sockaddr_ll.sll_family(addr, (short) tun_h.AF_PACKET);
            sockaddr_ll.sll_protocol(addr, proto);
            sockaddr_ll.sll_ifindex(addr, ifreq.ifr_ifindex(req));
            if (libc_h.bind(err, s, addr, (int) sockaddr_ll.sizeof()) != 0) die("bind: " + Errno.describe(libc_h.errno(err)));

            byte[] frame = new byte[60];
            System.arraycopy(HexFormat.ofDelimiter(":").parseHex(args[1]), 0, frame, 0, 6);
            System.arraycopy(PEER_MAC, 0, frame, 6, 6);
            frame[12] = (byte) (ETHERTYPE >> 8);
            frame[13] = (byte) ETHERTYPE;
            byte[] p = args[2].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(p, 0, frame, 14, p.length);
            MemorySegment out = a.allocateFrom(ValueLayout.JAVA_BYTE, frame);
            if (libc_h.send(err, s, out, frame.length, 0) != frame.length) die("send: " + Errno.describe(libc_h.errno(err)));

            MemorySegment in = a.allocate(2048);
            MemorySegment pfd = pollfd.allocate(a);
            pollfd.fd(pfd, s);
            pollfd.events(pfd, libc_h.POLLIN);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (libc_h.poll(err, pfd, 1, 1000) <= 0) continue;
                long n = libc_h.recv(err, s, in, in.byteSize(), 0);
                if (n < 14) continue;
                byte[] f = in.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                if (java.util.Arrays.equals(f, 6, 12, PEER_MAC, 0, 6)) continue; // our own, if looped back
                int end = 14;
                while (end < f.length && f[end] >= 0x20 && f[end] < 0x7f) end++;
                System.out.println("got " + HexFormat.ofDelimiter(":").formatHex(f, 6, 12) + " "
                        + new String(f, 14, end - 14, StandardCharsets.US_ASCII)
                        + " to " + HexFormat.ofDelimiter(":").formatHex(f, 0, 6));
                System.out.flush();
                System.exit(0);
            }
            die("no 0x88b5 frame from the guest in 60 s");
        }
    }

    private static void die(String message) {
        System.err.println("NetnsPeer: " + message);
        System.exit(1);
    }
}
