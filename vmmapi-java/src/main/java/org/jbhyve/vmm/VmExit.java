package org.jbhyve.vmm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Why {@link Vcpu#run()} returned. The same for every backend.
 *
 * <p>Exits are decoded without allocating: each vCPU owns one instance of every exit class and
 * {@code run()} refills and returns the matching one. An exit object is therefore valid only until
 * the next {@code run()} on the same vCPU; copy what must outlive it. The {@code set...} methods are
 * for backends.
 */
public sealed interface VmExit permits VmExit.PortIo, VmExit.Mmio, VmExit.Halt, VmExit.Shutdown,
        VmExit.SystemEvent, VmExit.MsrAccess, VmExit.InternalError, VmExit.FailEntry, VmExit.Stopped,
        VmExit.Unhandled {

    /**
     * Port I/O, including string and {@code rep} forms: {@link #count()} items of {@link #size()} bytes.
     * For IN, the handler supplies every item with {@link #setValue(int, int)} before the next run.
     */
    final class PortIo implements VmExit {
        private int port, size, count;
        private boolean in;
        private MemorySegment data;
        private long dataOffset;

        public void set(int port, int size, boolean in, int count, MemorySegment data, long dataOffset) {
            this.port = port;
            this.size = size;
            this.in = in;
            this.count = count;
            this.data = data;
            this.dataOffset = dataOffset;
        }

        public int port() { return port; }

        /** Bytes per item: 1, 2 or 4. */
        public int size() { return size; }

        public boolean isIn() { return in; }

        public boolean isOut() { return !in; }

        /** Items transferred: 1 for a plain IN/OUT, more for INS/OUTS with a repeat prefix. */
        public int count() { return count; }

        /** The first (usually only) item written by an OUT. */
        public int value() { return value(0); }

        /** Item {@code i} written by an OUT, zero-extended. */
        public int value(int i) {
            long off = dataOffset + (long) java.util.Objects.checkIndex(i, count) * size;
            return switch (size) {
                case 1 -> data.get(ValueLayout.JAVA_BYTE, off) & 0xff;
                case 2 -> data.get(ValueLayout.JAVA_SHORT_UNALIGNED, off) & 0xffff;
                default -> data.get(ValueLayout.JAVA_INT_UNALIGNED, off);
            };
        }

        /** Answers a single IN. */
        public void setValue(int v) { setValue(0, v); }

        /** Answers item {@code i} of an IN; only the low {@link #size()} bytes are used. */
        public void setValue(int i, int v) {
            long off = dataOffset + (long) java.util.Objects.checkIndex(i, count) * size;
            switch (size) {
                case 1 -> data.set(ValueLayout.JAVA_BYTE, off, (byte) v);
                case 2 -> data.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, (short) v);
                default -> data.set(ValueLayout.JAVA_INT_UNALIGNED, off, v);
            }
        }

        @Override
        public String toString() {
            return (in ? "in" : "out") + " port 0x" + Integer.toHexString(port) + " size " + size
                    + (count > 1 ? " count " + count : "") + (in ? "" : " value 0x" + Integer.toHexString(value()));
        }
    }

    /** A guest access to a physical address that is not RAM. For reads, answer with {@link #setValue(long)}. */
    final class Mmio implements VmExit {
        private long address;
        private int size;
        private boolean write;
        private MemorySegment data;
        private long dataOffset;

        public void set(long address, int size, boolean write, MemorySegment data, long dataOffset) {
            this.address = address;
            this.size = size;
            this.write = write;
            this.data = data;
            this.dataOffset = dataOffset;
        }

        public long address() { return address; }

        /** Access width in bytes: 1, 2, 4 or 8. */
        public int size() { return size; }

        public boolean isWrite() { return write; }

        /** The value written, zero-extended from {@link #size()} bytes. */
        public long value() {
            long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, dataOffset);
            return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
        }

        /** Answers a read: the low {@link #size()} bytes of {@code v} are returned to the guest. */
        public void setValue(long v) {
            data.set(ValueLayout.JAVA_LONG_UNALIGNED, dataOffset, v);
        }

        @Override
        public String toString() {
            return (write ? "mmio write 0x" : "mmio read 0x") + Long.toHexString(address) + " size " + size
                    + (write ? " value 0x" + Long.toHexString(value()) : "");
        }
    }

    /** The vCPU executed HLT and the kernel does not wait for interrupts itself (no in-kernel irqchip). */
    final class Halt implements VmExit {
        @Override
        public String toString() { return "hlt"; }
    }

    /** The guest shut the vCPU down, normally through a triple fault. */
    final class Shutdown implements VmExit {
        @Override
        public String toString() { return "shutdown (triple fault)"; }
    }

    /** A platform event the kernel reports (e.g. PSCI-like reset/shutdown requests). */
    final class SystemEvent implements VmExit {
        public enum Type { SHUTDOWN, RESET, CRASH, OTHER }

        private Type type;
        private int rawType;

        public void set(Type type, int rawType) {
            this.type = type;
            this.rawType = rawType;
        }

        public Type type() { return type; }

        public int rawType() { return rawType; }

        @Override
        public String toString() { return "system event " + type + " (" + rawType + ")"; }
    }

    /** RDMSR/WRMSR that the kernel hands to userspace. For a read, answer with {@link #setValue(long)}. */
    final class MsrAccess implements VmExit {
        private int index;
        private boolean write;
        private long value;
        private boolean fault;

        public void set(int index, boolean write, long value) {
            this.index = index;
            this.write = write;
            this.value = value;
            this.fault = false;
        }

        public int index() { return index; }

        public boolean isWrite() { return write; }

        public long value() { return value; }

        public void setValue(long v) { this.value = v; }

        /** Makes the access fail with #GP in the guest. */
        public void fault() { this.fault = true; }

        public boolean faulted() { return fault; }

        @Override
        public String toString() {
            return (write ? "wrmsr 0x" : "rdmsr 0x") + Integer.toHexString(index) + " value 0x" + Long.toHexString(value);
        }
    }

    /** The kernel could not handle something (e.g. an instruction its emulator does not know). */
    final class InternalError implements VmExit {
        private int suberror;
        private final long[] data = new long[16];
        private int ndata;

        public void set(int suberror, long[] src, int n) {
            this.suberror = suberror;
            this.ndata = Math.min(n, data.length);
            System.arraycopy(src, 0, data, 0, ndata);
        }

        public void set(int suberror) {
            this.suberror = suberror;
            this.ndata = 0;
        }

        public int suberror() { return suberror; }

        public long[] data() { return java.util.Arrays.copyOf(data, ndata); }

        @Override
        public String toString() {
            String what = switch (suberror) {
                case 1 -> "instruction emulation failed";
                case 2 -> "exception while delivering an exception";
                case 3 -> "error while delivering an event";
                case 4 -> "unexpected hardware exit";
                default -> "suberror " + suberror;
            };
            StringBuilder sb = new StringBuilder("internal error: ").append(what);
            for (int i = 0; i < ndata; i++) sb.append(i == 0 ? " data=" : ",").append("0x").append(Long.toHexString(data[i]));
            return sb.toString();
        }
    }

    /** The hardware refused to enter the guest (bad guest state). */
    final class FailEntry implements VmExit {
        private long reason;
        private int cpu;

        public void set(long reason, int cpu) {
            this.reason = reason;
            this.cpu = cpu;
        }

        public long hardwareReason() { return reason; }

        public int hostCpu() { return cpu; }

        @Override
        public String toString() {
            return "VM entry failed: hardware reason 0x" + Long.toHexString(reason) + " on host cpu " + cpu;
        }
    }

    /** {@link Vcpu#kick()} was called: the vCPU is stopped at an instruction boundary. */
    final class Stopped implements VmExit {
        @Override
        public String toString() { return "stopped"; }
    }

    /** An exit this API does not model; {@link #toString()} says what the backend reported. */
    final class Unhandled implements VmExit {
        private String backend;
        private int code;

        public void set(String backend, int code) {
            this.backend = backend;
            this.code = code;
        }

        public int code() { return code; }

        @Override
        public String toString() { return "unhandled " + backend + " exit " + code; }
    }
}
