package org.jbhyve.bhyve.snapshot;

import org.jbhyve.snapshot.format.Quoted;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;
import org.jbhyve.vmm.state.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code vcpu} chunk (instance = vCPU id): {@link VcpuState} as a state record, field by field,
 * so {@code bhyvectl --inspect --fields} shows registers by name. Version 1.
 */
public final class VcpuStateRecord {
    public static final String CHUNK = "vcpu";
    public static final int VERSION = 1;

    private static final String[] GPRS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9",
            "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"};
    private static final String[] SEGMENTS = {"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"};
    /** KVM_MAX_CPUID_ENTRIES: KVM_SET_CPUID2 refuses more (E2BIG). */
    private static final int MAX_CPUID_ENTRIES = 256;

    private VcpuStateRecord() {}

    public static StateRecord encode(VcpuState s) {
        StateRecord.Builder b = StateRecord.builder()
                .putU32("vcpu_id", s.vcpuId())
                .putString("mp_state", s.mpState().name());
        long[] gprs = s.registers().toArray();
        StateRecord.Builder regs = StateRecord.builder();
        for (int i = 0; i < GPRS.length; i++) regs.putU64(GPRS[i], gprs[i]);
        b.putRecord("regs", regs.build());
        b.putRecord("sregs", sregs(s.specialRegisters()));
        b.putBytes("xsave", s.xsave());
        b.putRecords("xcrs", pairs(s.xcrs()));
        DebugRegisters d = s.debugRegisters();
        b.putU64Array("debugregs", d.dr0(), d.dr1(), d.dr2(), d.dr3(), d.dr6(), d.dr7());
        b.putRecords("msrs", pairs(s.msrs()));
        if (s.lapic() != null) b.putBytes("lapic", s.lapic());
        b.putRecord("events", events(s.events()));
        List<StateRecord> cpuid = new ArrayList<>();
        for (CpuidEntry e : s.cpuid()) {
            cpuid.add(StateRecord.builder().putU32("function", e.function() & 0xffffffffL)
                    .putU32("index", e.index() & 0xffffffffL).putU32("flags", e.flags() & 0xffffffffL)
                    .putU32("eax", e.eax() & 0xffffffffL).putU32("ebx", e.ebx() & 0xffffffffL)
                    .putU32("ecx", e.ecx() & 0xffffffffL).putU32("edx", e.edx() & 0xffffffffL).build());
        }
        b.putRecords("cpuid", cpuid);
        b.putU64("tsc_khz", s.tscKhz());
        return b.build();
    }

    public static VcpuState decode(StateRecord r) throws SnapshotFormatException {
        int id = (int) r.u32("vcpu_id");
        MpState mp;
        try {
            mp = MpState.valueOf(r.string("mp_state"));
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException("vcpu " + id + ": unknown MP state " + Quoted.of(r.string("mp_state")));
        }
        StateRecord regs = r.record("regs");
        long[] gprs = new long[GPRS.length];
        for (int i = 0; i < GPRS.length; i++) gprs[i] = regs.u64(GPRS[i]);
        long[] dr = r.u64Array("debugregs");
        if (dr.length != 6) throw new SnapshotFormatException("vcpu " + id + ": debugregs has " + dr.length + " values, not 6");
        List<StateRecord> leaves = r.records("cpuid");
        // At most KVM's 256 entries (none on FreeBSD, whose vmm keeps its own), and one answer per question:
        // KVM finds a leaf by function alone unless its flags say the index is significant, so a function
        // has either one entry without that flag or entries with it, each index once.
        if (leaves.size() > MAX_CPUID_ENTRIES) {
            throw new SnapshotFormatException("vcpu " + id + ": cpuid has " + leaves.size() + " entries; KVM takes at most "
                    + MAX_CPUID_ENTRIES);
        }
        List<CpuidEntry> cpuid = new ArrayList<>();
        Map<Long, Boolean> indexedByFunction = new java.util.HashMap<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (StateRecord e : leaves) {
            long function = e.u32("function"), index = e.u32("index"), flags = e.u32("flags");
            boolean indexed = (flags & CpuidEntry.FLAG_SIGNIFICANT_INDEX) != 0;
            Boolean before = indexedByFunction.putIfAbsent(function, indexed);
            String leaf = "function 0x" + Long.toHexString(function);
            if (before != null && (!before || !indexed)) {
                throw new SnapshotFormatException("vcpu " + id + ": cpuid lists " + leaf + " more than once, and not"
                        + " every time with a significant index (KVM would answer from the first entry only)");
            }
            if (!seen.add(function << 32 | index)) {
                throw new SnapshotFormatException("vcpu " + id + ": cpuid lists " + leaf + " index 0x"
                        + Long.toHexString(index) + " twice");
            }
            cpuid.add(new CpuidEntry((int) function, (int) index, (int) flags,
                    (int) e.u32("eax"), (int) e.u32("ebx"), (int) e.u32("ecx"), (int) e.u32("edx")));
        }
        long tscKhz = r.u64("tsc_khz");
        if (tscKhz > 0xffff_ffffL) {
            throw new SnapshotFormatException("vcpu " + id + ": tsc_khz " + Long.toUnsignedString(tscKhz)
                    + " is more than a TSC rate can be (KVM_SET_TSC_KHZ takes 32 bits of kHz)");
        }
        Map<Integer, Long> msrs = unpairs(id, "msrs", "MSR", r.records("msrs"));
        byte[] lapic = r.has("lapic") ? r.bytes("lapic") : null;
        if (lapic != null && lapic.length != 1024) {
            throw new SnapshotFormatException("vcpu " + id + ": LAPIC page is " + lapic.length + " bytes, not 1024");
        }
        try {
            return new VcpuState(id, mp, Registers.fromArray(gprs), sregs(id, r.record("sregs")), r.bytes("xsave"),
                    unpairs(id, "xcrs", "XCR", r.records("xcrs")),
                    new DebugRegisters(dr[0], dr[1], dr[2], dr[3], dr[4], dr[5]),
                    msrs, lapic, events(r.record("events")), cpuid, tscKhz);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SnapshotFormatException("vcpu " + id + ": " + e.getMessage());
        }
    }

    private static List<StateRecord> pairs(Map<Integer, Long> m) {
        List<StateRecord> out = new ArrayList<>();
        for (var e : m.entrySet()) {
            out.add(StateRecord.builder().putU32("index", e.getKey() & 0xffffffffL).putU64("value", e.getValue()).build());
        }
        return out;
    }

    /** The {@code index -> value} pairs of list {@code name} of vCPU {@code id}; an index given twice is refused. */
    private static Map<Integer, Long> unpairs(int id, String name, String what, List<StateRecord> list)
            throws SnapshotFormatException {
        Map<Integer, Long> m = new LinkedHashMap<>();
        for (StateRecord p : list) {
            long index = p.u32("index");
            if (m.put((int) index, p.u64("value")) != null) {
                throw new SnapshotFormatException("vcpu " + id + ": " + name + " lists " + what + " 0x"
                        + Long.toHexString(index) + " twice");
            }
        }
        return m;
    }

    private static StateRecord segment(Segment s) {
        return StateRecord.builder().putU64("base", s.base()).putU32("limit", s.limit() & 0xffffffffL)
                .putU16("selector", s.selector()).putU8("type", s.type()).putBool("present", s.present())
                .putU8("dpl", s.dpl()).putBool("db", s.db()).putBool("s", s.s()).putBool("l", s.l())
                .putBool("g", s.g()).putBool("avl", s.avl()).putBool("unusable", s.unusable()).build();
    }

    /** Segment {@code name} of vCPU {@code id}. */
    private static Segment segment(int id, String name, StateRecord r) throws SnapshotFormatException {
        int type = r.u8("type"), dpl = r.u8("dpl");
        // A descriptor's type is 4 bits and its privilege level 2: anything wider is not a segment.
        String where = "vcpu " + id + ": sregs." + name;
        if (type > 0xf) throw new SnapshotFormatException(where + ".type is " + type + ", not a 4-bit segment type");
        if (dpl > 3) throw new SnapshotFormatException(where + ".dpl is " + dpl + ", not a privilege level 0 to 3");
        return new Segment(r.u64("base"), (int) r.u32("limit"), r.u16("selector"), type, r.bool("present"),
                dpl, r.bool("db"), r.bool("s"), r.bool("l"), r.bool("g"), r.bool("avl"), r.bool("unusable"));
    }

    private static StateRecord sregs(SpecialRegisters s) {
        StateRecord.Builder b = StateRecord.builder();
        Segment[] segs = {s.cs(), s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt()};
        for (int i = 0; i < SEGMENTS.length; i++) b.putRecord(SEGMENTS[i], segment(segs[i]));
        b.putU64("gdt_base", s.gdt().base()).putU16("gdt_limit", s.gdt().limit());
        b.putU64("idt_base", s.idt().base()).putU16("idt_limit", s.idt().limit());
        b.putU64("cr0", s.cr0()).putU64("cr2", s.cr2()).putU64("cr3", s.cr3()).putU64("cr4", s.cr4())
                .putU64("cr8", s.cr8()).putU64("efer", s.efer()).putU64("apic_base", s.apicBase())
                .putU64Array("interrupt_bitmap", s.interruptBitmap());
        return b.build();
    }

    private static SpecialRegisters sregs(int id, StateRecord r) throws SnapshotFormatException {
        Segment[] segs = new Segment[SEGMENTS.length];
        for (int i = 0; i < SEGMENTS.length; i++) segs[i] = segment(id, SEGMENTS[i], r.record(SEGMENTS[i]));
        long[] bitmap = r.u64Array("interrupt_bitmap", new long[4]);
        if (bitmap.length != 4) throw new SnapshotFormatException("sregs.interrupt_bitmap must have 4 words");
        return new SpecialRegisters(segs[0], segs[1], segs[2], segs[3], segs[4], segs[5], segs[6], segs[7],
                new DescriptorTable(r.u64("gdt_base"), r.u16("gdt_limit")),
                new DescriptorTable(r.u64("idt_base"), r.u16("idt_limit")),
                r.u64("cr0"), r.u64("cr2"), r.u64("cr3"), r.u64("cr4"), r.u64("cr8"), r.u64("efer"),
                r.u64("apic_base"), bitmap);
    }

    private static StateRecord events(VcpuEvents e) {
        return StateRecord.builder()
                .putBool("exception_injected", e.exceptionInjected()).putU8("exception_nr", e.exceptionNr())
                .putBool("exception_has_error_code", e.exceptionHasErrorCode())
                .putBool("exception_pending", e.exceptionPending())
                .putU32("exception_error_code", e.exceptionErrorCode() & 0xffffffffL)
                .putBool("interrupt_injected", e.interruptInjected()).putU8("interrupt_nr", e.interruptNr())
                .putBool("interrupt_soft", e.interruptSoft()).putU8("interrupt_shadow", e.interruptShadow())
                .putBool("nmi_injected", e.nmiInjected()).putBool("nmi_pending", e.nmiPending())
                .putBool("nmi_masked", e.nmiMasked()).putU32("sipi_vector", e.sipiVector() & 0xffffffffL)
                .putBool("smm", e.smm()).putBool("smi_pending", e.smiPending())
                .putBool("smm_inside_nmi", e.smmInsideNmi()).putBool("latched_init", e.latchedInit())
                .putBool("triple_fault_pending", e.tripleFaultPending())
                .putBool("exception_has_payload", e.exceptionHasPayload())
                .putU64("exception_payload", e.exceptionPayload())
                .build();
    }

    private static VcpuEvents events(StateRecord r) throws SnapshotFormatException {
        return new VcpuEvents(r.bool("exception_injected"), r.u8("exception_nr"), r.bool("exception_has_error_code"),
                r.bool("exception_pending"), (int) r.u32("exception_error_code"), r.bool("interrupt_injected"),
                r.u8("interrupt_nr"), r.bool("interrupt_soft"), r.u8("interrupt_shadow"), r.bool("nmi_injected"),
                r.bool("nmi_pending"), r.bool("nmi_masked"), (int) r.u32("sipi_vector"), r.bool("smm"),
                r.bool("smi_pending"), r.bool("smm_inside_nmi"), r.bool("latched_init"),
                r.bool("triple_fault_pending", false), r.bool("exception_has_payload", false),
                r.u64("exception_payload", 0));
    }
}
