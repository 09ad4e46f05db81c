/**
 * The FreeBSD backend: bhyve's vmm(4) through libvmmapi, {@code /dev/vmm} and FFM.
 *
 * <h2>Map</h2>
 * <ul>
 *   <li>{@link org.jbhyve.vmm.freebsd.FreeBsdHypervisor}: opening (one sentence per problem, nothing loaded
 *       off FreeBSD), host facts ({@code kern.osrelease}, {@code kern.osreldate}, {@code machdep.tsc_freq}).</li>
 *   <li>{@link org.jbhyve.vmm.freebsd.FreeBsdVm}: creation as bhyve does it, guest RAM (eager load from a
 *       file for a restore), interrupt lines, the boot ROM segment, the kernel RTC, {@code vm_suspend}.</li>
 *   <li>{@link org.jbhyve.vmm.freebsd.FreeBsdVcpu}: {@code VM_RUN}, the exit table, completing exits on the
 *       next {@code run()}, {@code kick()} through {@code vm_suspend_cpu}, INIT/start-up IPIs, vCPU state.</li>
 *   <li>{@link org.jbhyve.vmm.freebsd.StringIo}: {@code INS}/{@code OUTS} through guest paging;
 *       {@link org.jbhyve.vmm.freebsd.MmioInstruction}: {@code INST_EMUL} through the x86 emulator
 *       ({@code org.jbhyve.vmm.x86}, behind {@link org.jbhyve.vmm.freebsd.InstructionEmulation}).</li>
 *   <li>{@link org.jbhyve.vmm.freebsd.FreeBsdKernelState}: {@code VM_SNAPSHOT_REQ} and {@code VM_RESTORE_TIME};
 *       {@link org.jbhyve.vmm.freebsd.FreeBsdAbi}: the FreeBSD 14/15 {@code vm_memseg} ABIs, chosen by asking the
 *       kernel.</li>
 *   <li>{@link org.jbhyve.vmm.freebsd.Vmmapi}: every host call the backend makes, as one interface;
 *       {@link org.jbhyve.vmm.freebsd.LibVmmapi} is the real one. The unit tests put a model of libvmmapi and
 *       the kernel behind it, which is how the backend is tested on Linux.</li>
 * </ul>
 *
 * <h2>Where the facts come from</h2>
 * Struct layouts, ioctl numbers and enum values: the bindings ({@code org.jbhyve.bindings.freebsd}), pinned by
 * their tests to shared/reference/freebsd-bhyve.md. Behaviour the reference does not state was read in
 * FreeBSD's sources (vmm.c, vlapic.c, vmm_dev_machdep.c, libvmmapi's vmmapi.c, bhyve's vmexit.c, inout.c,
 * spinup_ap.c, rtc.c, bhyverun_machdep.c) and is described, not copied, where it is used:
 * <ul>
 *   <li>after every exit the kernel sets the vCPU's next RIP to {@code rip + inst_length}; setting RIP with
 *       {@code vm_set_register} sets it too; {@code vm_restart_instruction} and {@code vm_inject_exception}
 *       with restart set it back to RIP. So port I/O and MSR exits need no RIP update from userland;</li>
 *   <li>the kernel handles HLT itself (sleeping until an interrupt) and suspends the whole VM with
 *       {@code VM_SUSPEND_HALT} when every active vCPU halts with interrupts off;</li>
 *   <li>{@code vm_suspend_cpu} puts a vCPU in the debug set and IPIs its host CPU; {@code VM_RUN} of a vCPU in
 *       that set returns {@code VM_EXITCODE_DEBUG} at once; {@code vm_resume_cpu} takes it out (EINVAL if it is
 *       not in it);</li>
 *   <li>with {@code VM_CAP_IPI_EXIT} the kernel resets an INIT's targets and marks them waiting, then exits to
 *       userland with the destination set in {@code vm_run.cpuset} (copied up to the smaller of both sizes);
 *       a start-up IPI exits only for targets waiting for one; without the capability it becomes the old
 *       {@code VM_EXITCODE_SPINUP_AP};</li>
 *   <li>for {@code INST_EMUL} the kernel decodes the instruction and emulates it itself for the LAPIC, I/O
 *       APIC and HPET; everything else comes to userland;</li>
 *   <li>no snapshot blob carries the guest's FPU state.</li>
 * </ul>
 * What only a FreeBSD host can show is run by ci/freebsd/run-tests ({@code FreeBsdGuestTest}).
 */
package org.jbhyve.vmm.freebsd;
