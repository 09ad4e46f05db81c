package org.jbhyve.bhyve.devices.acpi;

import java.util.List;
import java.util.Optional;

/**
 * Where {@link AcpiTables} put every table in guest memory, and the bytes it put there (for a
 * firmware-config table loader, a dump, or a snapshot check).
 *
 * @param rsdp   address of the RSDP, the root the guest finds by scanning 0xe0000-0xfffff
 * @param end    first address after the last table
 * @param tables every table in placement order, the RSDP first
 */
public record AcpiLayout(long rsdp, long end, List<Placed> tables) {
    /** One table: {@code signature} is "RSD PTR " for the RSDP and the 4-character signature otherwise. */
    public record Placed(String signature, long address, byte[] bytes) {
        public int length() {
            return bytes.length;
        }
    }

    public AcpiLayout {
        tables = List.copyOf(tables);
    }

    public Optional<Placed> table(String signature) {
        return tables.stream().filter(t -> t.signature().equals(signature)).findFirst();
    }
}
