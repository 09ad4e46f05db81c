package org.jbhyve.vmm.x86;

import java.util.ArrayList;
import java.util.List;

/**
 * Emulates one instruction that faulted on device memory, so that the VMM sees the same MMIO reads
 * and writes as it would from a kernel that decodes for it (KVM).
 *
 * <p><b>Inputs.</b> The instruction bytes (up to 15, fetched at CS:RIP), the decoding mode, the
 * guest physical address the exit reports ({@code gpa}) and, when the hardware supplies it, the guest
 * linear address ({@code gla}, else {@link #UNKNOWN_GLA}). The explicit memory operand is accessed at
 * {@code gpa}; when {@code gla} is known the emulator first checks that the decoded operand covers
 * it, so an instruction the guest rewrote after the exit (another vCPU can) is refused instead of
 * being applied to the wrong address. STOS, MOVS, PUSH and POP compute both their addresses (rDI,
 * rSI, rSP and the explicit operand) from the registers and segment bases and translate them with
 * the {@link PageWalker}; each side goes to RAM or to {@link MmioAccess} by where it lands, and the
 * first iteration must touch the faulting {@code gpa} (and {@code gla}). An access that straddles a
 * page boundary is translated page by page and split into two accesses at the boundary, each to RAM
 * or to the device, as KVM does.
 *
 * <p><b>Effects.</b> Results are written after each instruction (or each iteration of a repeated
 * string instruction), never half-way: a fault, failure or {@link MmioAccess.Deferred} in the middle
 * leaves registers and RAM as they were before that iteration. All translations of an iteration are
 * made before its first access, so a page fault never follows a device access of the same iteration.
 * RIP is never written: on {@link EmulationResult.Completed} the caller adds the length.
 *
 * <p><b>Repeated string instructions</b> (REP/REPNE STOS and MOVS, count in CX/ECX/RCX by address
 * size) run up to {@code maxRepIterations} iterations per call. If the count is not exhausted the
 * result is {@link EmulationResult.Restart}: the caller re-enters the guest without advancing RIP,
 * the processor re-executes the instruction with the updated rCX/rSI/rDI, and the next exit carries
 * on. This bounds the time spent in one call and lets interrupts in between, like the processor's own
 * interruptible string instructions. A count of zero completes without any access.
 *
 * <p>Not checked: segment limits and access rights (flat segments assumed), alignment checking,
 * I/O permission, reserved paging bits. The class is stateless and thread-safe.
 */
public final class InstructionEmulator {
    /**
     * The {@code gla} to pass when the exit does not report the linear address. It is not a linear
     * address in any mode (bit 63 set, not canonical). Any other value that cannot be a linear address
     * in the mode (non-canonical in 64-bit mode, above 4 GiB otherwise), and all ones, also count as
     * unknown, whatever marker the backend's kernel uses.
     */
    public static final long UNKNOWN_GLA = 1L << 63;
    public static final int DEFAULT_MAX_REP_ITERATIONS = 256;

    private final int maxRepIterations;

    public InstructionEmulator() {
        this(DEFAULT_MAX_REP_ITERATIONS);
    }

    /** {@code maxRepIterations}: iterations of a repeated string instruction per call (at least 1). */
    public InstructionEmulator(int maxRepIterations) {
        if (maxRepIterations < 1) throw new IllegalArgumentException("maxRepIterations must be at least 1");
        this.maxRepIterations = maxRepIterations;
    }

    public int maxRepIterations() { return maxRepIterations; }

    /** Decodes the first {@code length} bytes of {@code code} and emulates the instruction. */
    public EmulationResult emulate(EmulationContext ctx, byte[] code, int length, long gpa, long gla) {
        DecodeResult d = Decoder.decode(code, length, ctx.mode());
        return switch (d) {
            case DecodeFailure f -> f;
            case Instruction i -> execute(ctx, i, gpa, gla);
        };
    }

    public EmulationResult emulate(EmulationContext ctx, byte[] code, long gpa, long gla) {
        return emulate(ctx, code, code.length, gpa, gla);
    }

    /** Emulates an already decoded instruction. */
    public EmulationResult execute(EmulationContext ctx, Instruction insn, long gpa, long gla) {
        if (insn.mode() != ctx.mode()) {
            return new EmulationResult.EmulationFailure("instruction decoded for " + insn.mode() + " but the vCPU is in "
                    + ctx.mode(), insn.bytes());
        }
        return new Run(ctx, insn, gpa, gla).go();
    }

    /** Whether {@code gla} can be a linear address in {@code mode}; anything else means "unknown". */
    static boolean glaKnown(long gla, CpuMode mode) {
        if (gla == UNKNOWN_GLA || gla == -1L) return false;
        return mode == CpuMode.BITS64 ? PageWalker.canonical(gla, 57) : (gla >>> 32) == 0;
    }

    /** Ends an iteration with a result (a fault or a failure). */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient EmulationResult result;

        Stop(EmulationResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** Part of an access that lies in one page: RAM or device memory. */
    private record Piece(long linear, long gpa, int length, boolean ram) {}

    /** Where an access goes: one piece, or two when it straddles a page boundary (as KVM splits them). */
    private record Location(long linear, int size, Piece first, Piece second) {}

    /** Register view that keeps writes until the iteration commits. */
    private static final class Shadow implements RegisterAccess {
        private final RegisterAccess under;
        private final long[] val = new long[Gpr.COUNT];
        private final boolean[] have = new boolean[Gpr.COUNT];
        private final boolean[] dirty = new boolean[Gpr.COUNT];
        private long flags;
        private boolean haveFlags, dirtyFlags;

        Shadow(RegisterAccess under) {
            this.under = under;
        }

        @Override
        public long gpr(int reg) {
            if (!have[reg]) {
                val[reg] = under.gpr(reg);
                have[reg] = true;
            }
            return val[reg];
        }

        @Override
        public void setGpr(int reg, long value) {
            val[reg] = value;
            have[reg] = dirty[reg] = true;
        }

        @Override
        public long rflags() {
            if (!haveFlags) {
                flags = under.rflags();
                haveFlags = true;
            }
            return flags;
        }

        @Override
        public void setRflags(long value) {
            flags = value;
            haveFlags = dirtyFlags = true;
        }

        @Override
        public long rip() { return under.rip(); }

        @Override
        public long segmentBase(SegmentRegister seg) { return under.segmentBase(seg); }

        @Override
        public boolean stackSegment32() { return under.stackSegment32(); }

        void commit() {
            for (int i = 0; i < Gpr.COUNT; i++) {
                if (dirty[i]) {
                    under.setGpr(i, val[i]);
                    dirty[i] = false;
                }
            }
            if (dirtyFlags) {
                under.setRflags(flags);
                dirtyFlags = false;
            }
        }

        void rollback() {
            java.util.Arrays.fill(have, false);
            java.util.Arrays.fill(dirty, false);
            haveFlags = dirtyFlags = false;
        }
    }

    private final class Run {
        private final EmulationContext ctx;
        private final Instruction in;
        private final CpuMode mode;
        private final long gpa, gla;
        private final boolean glaKnown;
        private final Shadow regs;
        private final List<long[]> ramWrites = new ArrayList<>();
        private PageWalker walker;
        private boolean firstIteration = true;

        Run(EmulationContext ctx, Instruction in, long gpa, long gla) {
            this.ctx = ctx;
            this.in = in;
            this.mode = ctx.mode();
            this.gpa = gpa;
            this.gla = gla;
            this.glaKnown = glaKnown(gla, mode);
            this.regs = new Shadow(ctx.registers());
        }

        EmulationResult go() {
            boolean repeated = in.operation().isString() && in.rep() != Instruction.Rep.NONE;
            int done = 0;
            while (true) {
                try {
                    if (repeated && readReg(Gpr.RCX, in.addressSize()) == 0) {
                        return new EmulationResult.Completed(in.length());
                    }
                    if (repeated && done >= maxRepIterations) return new EmulationResult.Restart(in.length());
                    iteration(repeated);
                    commit();
                } catch (MmioAccess.Deferred d) {
                    rollback();
                    return done == 0 ? EmulationResult.Deferred.INSTANCE : new EmulationResult.Restart(in.length());
                } catch (Stop s) {
                    rollback();
                    return s.result;
                } catch (RuntimeException e) {
                    rollback();
                    return failure("emulating " + in + " failed: " + e);
                }
                done++;
                firstIteration = false;
                if (!repeated) return new EmulationResult.Completed(in.length());
            }
        }

        private void commit() {
            for (long[] w : ramWrites) ctx.memory().write(w[0], (int) w[1], w[2]);
            ramWrites.clear();
            regs.commit();
        }

        private void rollback() {
            ramWrites.clear();
            regs.rollback();
        }

        private EmulationResult.EmulationFailure failure(String reason) {
            return new EmulationResult.EmulationFailure(reason, in.bytes());
        }

        private Stop stop(String reason) {
            return new Stop(failure(reason));
        }

        // ---- registers ------------------------------------------------------------------------

        private long readReg(int reg, int size) {
            return regs.gpr(reg) & Flags.mask(size);
        }

        private long readReg(int reg, int size, boolean high) {
            return high ? (regs.gpr(reg) >>> 8) & 0xff : readReg(reg, size);
        }

        /** Writes with the processor's rules: 8/16-bit merge, 32-bit zero-extends, 64-bit replaces. */
        private void writeReg(int reg, int size, boolean high, long value) {
            long old = regs.gpr(reg);
            long v = switch (size) {
                case 1 -> high ? (old & ~0xff00L) | ((value & 0xff) << 8) : (old & ~0xffL) | (value & 0xff);
                case 2 -> (old & ~0xffffL) | (value & 0xffff);
                case 4 -> value & 0xffff_ffffL;
                default -> value;
            };
            regs.setGpr(reg, v);
        }

        private void writeReg(int reg, int size, long value) {
            writeReg(reg, size, false, value);
        }

        private void setStatus(long flags, long which) {
            regs.setRflags((regs.rflags() & ~which) | (flags & which));
        }

        /** The non-memory operand: the register or the immediate. */
        private long other() {
            return in.source() == Instruction.Source.IMMEDIATE ? in.immediate() & Flags.mask(in.operandSize())
                    : readReg(in.register(), in.operandSize(), in.highByte());
        }

        // ---- addresses ------------------------------------------------------------------------

        private long linear(SegmentRegister seg, long offset) {
            boolean based = mode != CpuMode.BITS64 || seg == SegmentRegister.FS || seg == SegmentRegister.GS;
            long base = based ? regs.segmentBase(seg) : 0;
            return (base + offset) & mode.linearMask();
        }

        /**
         * The explicit memory operand, displaced by {@code extra} bytes (BT with a register offset). When
         * the exit reports the linear address, the decoded operand must cover it. An operand within one
         * page is accessed at the exit's gpa without a page walk (the hardware has just translated it);
         * one that straddles a page boundary is translated page by page, because the second page may be
         * anywhere, and then one of its device pieces must be the faulting address.
         */
        private Location mainLocation(long extra, AccessType type) {
            MemoryOperand m = in.memory();
            int size = in.memorySize();
            long ea = MemoryOperand.mask(m.effectiveAddress(regs, regs.rip() + in.length()) + extra, m.addressSize());
            long lin = linear(m.segment(), ea);
            long delta = 0;
            if (glaKnown) {
                delta = (gla - lin) & mode.linearMask();
                if (Long.compareUnsigned(delta, size) >= 0) {
                    throw stop("the instruction (" + in + ") accesses linear address 0x" + Long.toHexString(lin)
                            + " but the exit reports linear address 0x" + Long.toHexString(gla));
                }
            }
            if ((lin & 0xfff) + size <= 4096 || ctx.memory() == null) {
                return new Location(lin, size, new Piece(lin, gpa - delta, size, false), null);
            }
            Location l = resolve(m.segment(), ea, size, type);
            checkTouchesExit(l);
            return l;
        }

        /** Translates an access through the guest's paging, page by page. */
        private Location resolve(SegmentRegister seg, long offset, int size, AccessType type) {
            if (ctx.memory() == null) {
                throw stop(in.operation().mnemonic() + " needs guest memory and paging state to translate its addresses");
            }
            if (walker == null) walker = new PageWalker(ctx.memory());
            boolean stack = seg == SegmentRegister.SS;
            long lin = linear(seg, offset);
            int len1 = (int) Math.min(size, 4096 - (lin & 0xfff));
            Piece first = piece(lin, len1, type, stack);
            if (len1 == size) return new Location(lin, size, first, null);
            Piece second = piece((lin + len1) & mode.linearMask(), size - len1, type, stack);
            return new Location(lin, size, first, second);
        }

        private Piece piece(long lin, int len, AccessType type, boolean stack) {
            long g = switch (walker.translate(ctx.paging(), lin, type)) {
                case Translation.Mapped m -> m.gpa();
                case Translation.PageFault pf -> throw new Stop(EmulationResult.Fault.pageFault(pf.linear(), pf.errorCode()));
                case Translation.NonCanonical nc -> throw new Stop(EmulationResult.Fault.generalProtection(stack));
                case Translation.Failed f -> throw stop(f.reason());
            };
            GuestMemoryAccess mem = ctx.memory();
            boolean ram = mem.isRam(g, len);
            if (!ram && mem.isRam(g, 1) != mem.isRam(g + len - 1, 1)) {
                throw stop("a " + len + "-byte access at guest physical 0x" + Long.toHexString(g)
                        + " is partly RAM and partly device memory");
            }
            return new Piece(lin, g, len, ram);
        }

        /**
         * On the first iteration one device piece must be the faulting address (and, when the exit
         * reports it, cover the faulting linear address).
         */
        private void checkTouchesExit(Location... locations) {
            if (!firstIteration) return;
            StringBuilder where = new StringBuilder();
            for (Location l : locations) {
                for (Piece p : new Piece[] {l.first(), l.second()}) {
                    if (p == null) continue;
                    if (!p.ram() && Long.compareUnsigned(gpa - p.gpa(), p.length()) < 0
                            && (!glaKnown || Long.compareUnsigned((gla - p.linear()) & mode.linearMask(), p.length()) < 0)) {
                        return;
                    }
                    where.append(where.isEmpty() ? "" : ", ").append("linear 0x").append(Long.toHexString(p.linear()))
                            .append(p.ram() ? " -> RAM 0x" : " -> device 0x").append(Long.toHexString(p.gpa()));
                }
            }
            throw stop("the instruction (" + in + ") does not access the faulting address 0x" + Long.toHexString(gpa)
                    + (glaKnown ? " (linear 0x" + Long.toHexString(gla) + ")" : "") + ": it accesses " + where);
        }

        private long load(Location l) {
            long v = loadPiece(l.first());
            if (l.second() != null) v |= loadPiece(l.second()) << (8 * l.first().length());
            return v & Flags.mask(l.size());
        }

        private long loadPiece(Piece p) {
            if (!p.ram()) return mmioRead(p.gpa(), p.length());
            GuestMemoryAccess mem = ctx.memory();
            int n = p.length();
            if (n == 1 || n == 2 || n == 4 || n == 8) return mem.read(p.gpa(), n) & Flags.mask(n);
            long v = 0;
            for (int i = 0; i < n; i++) v |= (mem.read(p.gpa() + i, 1) & 0xff) << (8 * i);
            return v;
        }

        private void store(Location l, long v) {
            storePiece(l.first(), v);
            if (l.second() != null) storePiece(l.second(), v >>> (8 * l.first().length()));
        }

        private void storePiece(Piece p, long v) {
            int n = p.length();
            if (!p.ram()) {
                mmioWrite(p.gpa(), n, v);
            } else if (n == 1 || n == 2 || n == 4 || n == 8) {
                ramWrites.add(new long[] {p.gpa(), n, v & Flags.mask(n)});
            } else {
                for (int i = 0; i < n; i++) ramWrites.add(new long[] {p.gpa() + i, 1, (v >>> (8 * i)) & 0xff});
            }
        }

        private long mmioRead(long addr, int size) {
            return ctx.mmio().read(addr, size) & Flags.mask(size);
        }

        private void mmioWrite(long addr, int size, long v) {
            ctx.mmio().write(addr, size, v & Flags.mask(size));
        }

        // ---- instructions ---------------------------------------------------------------------

        private AccessType rmw() {
            return in.operation() == Operation.CMP || in.operation() == Operation.TEST || in.operation() == Operation.BT
                    ? AccessType.READ : AccessType.WRITE;
        }

        private void iteration(boolean repeated) {
            int size = in.operandSize();
            switch (in.operation()) {
                case MOV -> {
                    if (in.memoryIsDestination()) {
                        long v = other();
                        store(mainLocation(0, AccessType.WRITE), v);
                    } else {
                        writeReg(in.register(), size, in.highByte(), load(mainLocation(0, AccessType.READ)));
                    }
                }
                case MOVZX -> writeReg(in.register(), size, load(mainLocation(0, AccessType.READ)));
                case MOVSX -> writeReg(in.register(), size,
                        Flags.signExtend(load(mainLocation(0, AccessType.READ)), in.memorySize()));
                case ADD, OR, ADC, SBB, AND, SUB, XOR, CMP -> alu(size);
                case TEST -> {
                    long a = load(mainLocation(0, AccessType.READ));
                    setStatus(Flags.logic(a & other(), size).flags(), Flags.STATUS);
                }
                case NOT -> {
                    Location l = mainLocation(0, AccessType.WRITE);
                    store(l, ~load(l));
                }
                case NEG, INC, DEC -> {
                    Location l = mainLocation(0, AccessType.WRITE);
                    long a = load(l);
                    Flags.Result r = switch (in.operation()) {
                        case NEG -> Flags.sub(0, a, 0, size);
                        case INC -> Flags.add(a, 1, 0, size);
                        default -> Flags.sub(a, 1, 0, size);
                    };
                    store(l, r.value());
                    setStatus(r.flags(), in.operation() == Operation.NEG ? Flags.STATUS : Flags.STATUS & ~Flags.CF);
                }
                case BT, BTS, BTR, BTC -> bitTest(size);
                case XCHG -> {
                    Location l = mainLocation(0, AccessType.WRITE);
                    long m = load(l);
                    store(l, readReg(in.register(), size, in.highByte()));
                    writeReg(in.register(), size, in.highByte(), m);
                }
                case STOS -> stos(size, repeated);
                case MOVS -> movs(size, repeated);
                case PUSH -> push(size);
                case POP -> pop(size);
            }
        }

        private void alu(int size) {
            boolean memDest = in.memoryIsDestination();
            Location l = mainLocation(0, memDest ? rmw() : AccessType.READ);
            long m = load(l);
            long a = memDest ? m : readReg(in.register(), size, in.highByte());
            long b = memDest ? other() : m;
            int carry = (regs.rflags() & Flags.CF) != 0 ? 1 : 0;
            Flags.Result r = switch (in.operation()) {
                case ADD -> Flags.add(a, b, 0, size);
                case ADC -> Flags.add(a, b, carry, size);
                case SUB, CMP -> Flags.sub(a, b, 0, size);
                case SBB -> Flags.sub(a, b, carry, size);
                case AND -> Flags.logic(a & b, size);
                case OR -> Flags.logic(a | b, size);
                default -> Flags.logic(a ^ b, size);
            };
            setStatus(r.flags(), Flags.STATUS);
            if (in.operation() == Operation.CMP) return;
            if (memDest) store(l, r.value());
            else writeReg(in.register(), size, in.highByte(), r.value());
        }

        private void bitTest(int size) {
            int bits = size * 8;
            long bit, extra = 0;
            if (in.source() == Instruction.Source.IMMEDIATE) {
                bit = in.immediate() & (bits - 1);
            } else {
                // A register bit offset is signed and may select a bit outside the operand: the access
                // moves by whole operands (SDM, BT: "bit base" addressing).
                long off = Flags.signExtend(readReg(in.register(), size), size);
                extra = (off >> Integer.numberOfTrailingZeros(bits)) * size;
                bit = off & (bits - 1);
            }
            Location l = mainLocation(extra, rmw());
            long v = load(l);
            boolean set = ((v >>> bit) & 1) != 0;
            long nv = switch (in.operation()) {
                case BTS -> v | (1L << bit);
                case BTR -> v & ~(1L << bit);
                case BTC -> v ^ (1L << bit);
                default -> v;
            };
            if (in.operation() != Operation.BT) store(l, nv);
            setStatus(set ? Flags.CF : 0, Flags.CF);
        }

        private long step(int size) {
            return (regs.rflags() & Flags.DF) != 0 ? -size : size;
        }

        private void stos(int size, boolean repeated) {
            int as = in.addressSize();
            long di = readReg(Gpr.RDI, as);
            Location dst = resolve(SegmentRegister.ES, di, size, AccessType.WRITE);
            checkTouchesExit(dst);
            store(dst, readReg(Gpr.RAX, size));
            writeReg(Gpr.RDI, as, di + step(size));
            if (repeated) writeReg(Gpr.RCX, as, readReg(Gpr.RCX, as) - 1);
        }

        private void movs(int size, boolean repeated) {
            int as = in.addressSize();
            long si = readReg(Gpr.RSI, as);
            long di = readReg(Gpr.RDI, as);
            Location src = resolve(in.memory().segment(), si, size, AccessType.READ);
            Location dst = resolve(SegmentRegister.ES, di, size, AccessType.WRITE);
            checkTouchesExit(src, dst);
            store(dst, load(src));
            long step = step(size);
            writeReg(Gpr.RSI, as, si + step);
            writeReg(Gpr.RDI, as, di + step);
            if (repeated) writeReg(Gpr.RCX, as, readReg(Gpr.RCX, as) - 1);
        }

        private int stackAddressSize() {
            if (mode == CpuMode.BITS64) return 8;
            return regs.stackSegment32() ? 4 : 2;
        }

        /** The explicit operand of PUSH/POP, translated like the stack side. */
        private Location walkedMain(AccessType type) {
            MemoryOperand m = in.memory();
            long ea = m.effectiveAddress(regs, regs.rip() + in.length());
            return resolve(m.segment(), ea, in.memorySize(), type);
        }

        /*
         * PUSH m and POP m touch two places, the explicit operand and the stack, and either may be the
         * device memory that faulted: both are translated, and the faulting one must be among them.
         */
        private void push(int size) {
            int sas = stackAddressSize();
            long sp = (readReg(Gpr.RSP, sas) - size) & Flags.mask(sas);
            Location src = walkedMain(AccessType.READ); // an rSP-based operand uses rSP before the push
            Location dst = resolve(SegmentRegister.SS, sp, size, AccessType.WRITE);
            checkTouchesExit(src, dst);
            store(dst, load(src));
            writeReg(Gpr.RSP, sas, sp);
        }

        private void pop(int size) {
            int sas = stackAddressSize();
            long sp = readReg(Gpr.RSP, sas);
            Location src = resolve(SegmentRegister.SS, sp, size, AccessType.READ);
            writeReg(Gpr.RSP, sas, sp + size);
            Location dst = walkedMain(AccessType.WRITE); // an rSP-based operand uses rSP after the pop (SDM, POP)
            checkTouchesExit(src, dst);
            store(dst, load(src));
        }
    }
}
