package org.jbhyve.bindings.libc;

import java.lang.foreign.*;
import static java.lang.foreign.ValueLayout.*;

/** {@code struct timespec} from {@code <time.h>} (16 bytes on LP64). */
public final class timespec {
    private timespec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec")).withName("timespec");

    public static GroupLayout layout() { return $LAYOUT; }
    public static long sizeof() { return 16; }
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }
    public static long tv_sec$offset() { return 0; }
    public static long tv_sec(MemorySegment struct) { return struct.get(JAVA_LONG, 0); }
    public static void tv_sec(MemorySegment struct, long value) { struct.set(JAVA_LONG, 0, value); }
    public static long tv_nsec$offset() { return 8; }
    public static long tv_nsec(MemorySegment struct) { return struct.get(JAVA_LONG, 8); }
    public static void tv_nsec(MemorySegment struct, long value) { struct.set(JAVA_LONG, 8, value); }
}
