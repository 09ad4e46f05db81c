package org.jbhyve.bhyve.devices.acpi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.vmm.GuestMemory;
import org.jbhyve.vmm.GuestMemoryException;

/**
 * Builds bhyve's set of ACPI tables for an {@link AcpiMachine} and writes them into guest RAM
 * from {@link MemoryMap#ACPI_BASE}, where guests that do not boot through UEFI find the RSDP by
 * scanning the BIOS area.
 *
 * <p>Placement follows bhyve's: RSDP, RSDT, XSDT, FADT, MADT, HPET, MCFG, FACS, SPCR, DSDT, one
 * after the other, each on a 16-byte boundary (the FACS on a 64-byte one), the FADT listed first in
 * the RSDT/XSDT as UEFI asks. Every table's size is known before any address is, so addresses are
 * assigned first and the tables that point at others (RSDP, RSDT, XSDT, FADT) are built with the
 * final addresses: nothing is patched afterwards.
 */
public final class AcpiTables {
    static final int TABLE_ALIGNMENT = 16;

    private AcpiTables() {}

    /** Builds the tables and places them from {@link MemoryMap#ACPI_BASE}, without writing them. */
    public static AcpiLayout build(AcpiMachine m) {
        return build(m, MemoryMap.ACPI_BASE, MemoryMap.ACPI_LIMIT);
    }

    /** Builds the tables for {@code m} and writes them into {@code memory}. */
    public static AcpiLayout write(AcpiMachine m, GuestMemory memory) {
        AcpiLayout layout = build(m);
        try {
            long base = layout.rsdp();
            byte[] image = new byte[(int) (layout.end() - base)];
            for (AcpiLayout.Placed t : layout.tables()) {
                System.arraycopy(t.bytes(), 0, image, (int) (t.address() - base), t.length());
            }
            memory.write(base, image);
        } catch (GuestMemoryException e) {
            throw new AcpiBuildException(String.format(
                    "cannot write the ACPI tables to guest memory [0x%x, 0x%x): not RAM (the guest needs at least 1 MiB of memory)",
                    layout.rsdp(), layout.end()), e);
        }
        return layout;
    }

    static AcpiLayout build(AcpiMachine m, long base, long limit) {
        Map<String, byte[]> leaves = leafTables(m);

        // The RSDT/XSDT list every table except the FACS and DSDT, which the FADT points at.
        List<String> listed = new ArrayList<>();
        listed.add(Fadt.SIGNATURE);
        for (String s : leaves.keySet()) if (!s.equals(Facs.SIGNATURE) && !s.equals(Dsdt.SIGNATURE)) listed.add(s);

        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put(Rsdp.SIGNATURE, Rsdp.LENGTH);
        sizes.put("RSDT", SdtBuilder.HEADER_LENGTH + 4 * listed.size());
        sizes.put("XSDT", SdtBuilder.HEADER_LENGTH + 8 * listed.size());
        sizes.put(Fadt.SIGNATURE, Fadt.LENGTH);
        leaves.forEach((s, b) -> sizes.put(s, b.length));

        Map<String, Long> at = new LinkedHashMap<>();
        long next = base;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            int align = e.getKey().equals(Facs.SIGNATURE) ? Facs.ALIGNMENT : TABLE_ALIGNMENT;
            next = (next + align - 1) & -align;
            at.put(e.getKey(), next);
            next += e.getValue();
        }
        if (next > limit) {
            throw new AcpiBuildException(String.format(
                    "the ACPI tables need %d bytes from 0x%x but only %d fit below 0x%x (%d vCPUs, %d PCI buses, DSDT %d bytes)",
                    next - base, base, limit - base, limit, m.vcpus(), m.pciBuses().size(),
                    leaves.get(Dsdt.SIGNATURE).length));
        }

        SdtBuilder rsdt = new SdtBuilder("RSDT", 1);
        SdtBuilder xsdt = new SdtBuilder("XSDT", 1);
        for (String s : listed) {
            rsdt.u32(at.get(s));
            xsdt.u64(at.get(s));
        }
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        bytes.put(Rsdp.SIGNATURE, Rsdp.build(at.get("RSDT"), at.get("XSDT")));
        bytes.put("RSDT", rsdt.finish());
        bytes.put("XSDT", xsdt.finish());
        bytes.put(Fadt.SIGNATURE, Fadt.build(m, at.get(Facs.SIGNATURE), at.get(Dsdt.SIGNATURE)));
        bytes.putAll(leaves);

        List<AcpiLayout.Placed> placed = new ArrayList<>();
        bytes.forEach((s, b) -> {
            if (b.length != sizes.get(s)) throw new IllegalStateException(s + " changed size while being placed");
            placed.add(new AcpiLayout.Placed(s, at.get(s), b));
        });
        return new AcpiLayout(base, next, placed);
    }

    /** The tables that point at no other table, in placement order after the RSDP, RSDT, XSDT and FADT. */
    private static Map<String, byte[]> leafTables(AcpiMachine m) {
        Map<String, byte[]> leaves = new LinkedHashMap<>();
        leaves.put(Madt.SIGNATURE, Madt.build(m));
        m.hpet().ifPresent(h -> leaves.put(HpetTable.SIGNATURE, HpetTable.build(h)));
        leaves.put(Mcfg.SIGNATURE, Mcfg.build(m));
        leaves.put(Facs.SIGNATURE, Facs.build());
        m.uarts().stream().filter(u -> u.unit() == 1).findFirst()
                .ifPresent(com1 -> leaves.put(Spcr.SIGNATURE, Spcr.build(com1)));
        leaves.put(Dsdt.SIGNATURE, Dsdt.build(m));
        return leaves;
    }
}
