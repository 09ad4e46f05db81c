package org.jbhyve.bindings.libc;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct pollfd} from {@code <poll.h>} (8 bytes). */
public final class pollfd {
    private pollfd() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents")).withName("pollfd");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 8; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }
    public static long fd$offset() { return 0; }
    public static int fd(MemorySegment struct) { return struct.get(JAVA_INT, 0); }
    public static void fd(MemorySegment struct, int value) { struct.set(JAVA_INT, 0, value); }
    public static long events$offset() { return 4; }
    public static short events(MemorySegment struct) { return struct.get(JAVA_SHORT, 4); }
    public static void events(MemorySegment struct, short value) { struct.set(JAVA_SHORT, 4, value); }
    public static long revents$offset() { return 6; }
    public static short revents(MemorySegment struct) { return struct.get(JAVA_SHORT, 6); }
    public static void revents(MemorySegment struct, short value) { struct.set(JAVA_SHORT, 6, value); }
}
