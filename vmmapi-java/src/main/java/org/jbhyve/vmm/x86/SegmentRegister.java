package org.jbhyve.vmm.x86;

/** The segment registers, in their x86 encoding order (the sreg field of MOV Sreg). */
public enum SegmentRegister {
    ES, CS, SS, DS, FS, GS;

    /** The segment-override prefix byte that selects this register. */
    public int overridePrefix() {
        return switch (this) {
            case ES -> 0x26;
            case CS -> 0x2e;
            case SS -> 0x36;
            case DS -> 0x3e;
            case FS -> 0x64;
            case GS -> 0x65;
        };
    }

    /** FreeBSD's {@code vm_reg_name} for this register (VM_REG_GUEST_ES .. VM_REG_GUEST_GS). */
    public int freeBsdRegister() {
        return 22 + ordinal();
    }

    String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
