/**
 * Decoding and emulating the x86 instructions that guests use on device memory, for backends whose
 * kernel does not do it: FreeBSD's {@code /dev/vmm} reports MMIO as {@code VM_EXITCODE_INST_EMUL}
 * (guest physical and linear address, CS base and D bit, {@code vm_guest_paging}), and userspace must
 * turn the faulting instruction into the same {@link org.jbhyve.vmm.VmExit.Mmio} reads and writes
 * that KVM would report. Written from the Intel SDM; checked against KVM's emulator on real
 * {@code /dev/kvm} (KvmCrossCheckTest).
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link org.jbhyve.vmm.x86.Decoder}: bytes + {@link org.jbhyve.vmm.x86.CpuMode} &rarr;
 *     {@link org.jbhyve.vmm.x86.Instruction} (with its length) or {@link org.jbhyve.vmm.x86.DecodeFailure}.</li>
 * <li>{@link org.jbhyve.vmm.x86.InstructionEmulator}: executes it against an
 *     {@link org.jbhyve.vmm.x86.EmulationContext} &mdash; {@link org.jbhyve.vmm.x86.RegisterAccess} (GPRs by
 *     encoding number, RFLAGS, RIP, segment bases, SS.B), {@link org.jbhyve.vmm.x86.MmioAccess},
 *     {@link org.jbhyve.vmm.x86.GuestMemoryAccess} and {@link org.jbhyve.vmm.x86.PagingState} &mdash; and
 *     returns an {@link org.jbhyve.vmm.x86.EmulationResult}: Completed(length), Restart, Fault(vector,
 *     error code, CR2), Deferred, DecodeFailure or EmulationFailure. Nothing is thrown.</li>
 * <li>{@link org.jbhyve.vmm.x86.PageWalker}: 32-bit, PAE, 4- and 5-level paging from CR3 with P/RW/US/XD,
 *     CR0.WP, SMEP and SMAP checks, accessed/dirty bits by compare-and-set; faults are values.</li>
 * <li>{@link org.jbhyve.vmm.x86.InstructionFetch}: the instruction bytes at CS:RIP through the guest's paging.</li>
 * <li>{@link org.jbhyve.vmm.x86.ReplayingMmio}: turns the emulator's synchronous device calls into one
 *     {@code VmExit.Mmio} per access for a backend whose {@code run()} must return each access.</li>
 * <li>{@link org.jbhyve.vmm.x86.FreeBsdInstEmul}: reads {@code vm_exit.u.inst_emul}, adapts
 *     {@code vm_get/set_register} and {@code vm_get_desc}, fetches and emulates.</li>
 * </ul>
 *
 * <h2>Instructions</h2>
 * MOV (88/89/8A/8B, C6/C7 /0, A0-A3 moffs), MOVZX (0F B6/B7), MOVSX (0F BE/BF), MOVSXD (63, 64-bit mode),
 * ADD/OR/ADC/SBB/AND/SUB/XOR/CMP (00-3B memory forms, 80/81/83 and 82 outside 64-bit mode), TEST (84/85,
 * F6/F7 /0), NOT/NEG (F6/F7 /2 /3), INC/DEC (FE/FF /0 /1), BT/BTS/BTR/BTC (0F A3/AB/B3/BB, 0F BA /4-/7),
 * XCHG (86/87), STOS (AA/AB) and MOVS (A4/A5) with or without REP/REPNE, PUSH m (FF /6), POP m (8F /0);
 * at 8, 16, 32 and 64 bits as the encoding allows, with every legacy prefix, REX, ModRM/SIB form,
 * 16/32/64-bit addressing and RIP-relative operands. Status flags are computed for every instruction that
 * defines them; flags the SDM leaves undefined are left as they were (BT*) or cleared (AF of the logic
 * operations).
 *
 * <h2>Choices</h2>
 * <ul>
 * <li>Repeated string instructions run up to {@code maxRepIterations} (256) iterations per call; if the
 *     count is not exhausted the result is Restart and the caller re-enters the guest without advancing
 *     RIP, so the processor re-executes the instruction for the rest.</li>
 * <li>Register and RAM results are committed per instruction (per iteration for REP); faults and
 *     failures leave the state as before that iteration, and translations precede device accesses.</li>
 * <li>The explicit operand goes to the exit's gpa after the decoded address has been checked against the
 *     exit's gla; implicit and two-sided accesses (STOS, MOVS, PUSH, POP) and page-straddling operands are
 *     translated, and must touch the faulting address.</li>
 * <li>An access straddling a page boundary is split at the boundary (1..7-byte pieces), as KVM does.</li>
 * <li>MOVSXD with a 16-bit operand reads 4 bytes, as KVM and the AMD hardware tested do.</li>
 * </ul>
 *
 * <h2>Not supported</h2>
 * Everything else is a DecodeFailure: CMPXCHG, XADD, MUL/IMUL/DIV/IDIV, shifts and rotates, SETcc, CMOVcc,
 * BSF/BSR, MOVBE, LODS/SCAS/CMPS/INS/OUTS, segment-register moves, x87/MMX/SSE/AVX (VEX/EVEX/XOP), and
 * register-only forms. Segment limits and access rights, alignment checking and reserved paging bits are
 * not checked.
 */
package org.jbhyve.vmm.x86;
