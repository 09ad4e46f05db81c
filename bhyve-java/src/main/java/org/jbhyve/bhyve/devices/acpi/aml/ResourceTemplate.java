package org.jbhyve.bhyve.devices.acpi.aml;

import java.io.ByteArrayOutputStream;

/**
 * Builds an ASL {@code ResourceTemplate ()}: a Buffer of resource descriptors closed by an End Tag
 * (ACPI 6.5, 6.4 "Resource Data Types for ACPI"). Only the descriptors jbhyve's DSDT uses.
 * Arguments are inclusive ranges, as in ASL.
 */
public final class ResourceTemplate {
    // Small item tags: bits 6-3 name, bits 2-0 length.
    private static final int IRQ_TAG_NO_FLAGS = 0x22, IRQ_TAG = 0x23, IO_TAG = 0x47, END_TAG = 0x79;
    // Large items: 0x80 | name, then a 16-bit length of what follows.
    private static final int MEMORY32_FIXED = 0x86, DWORD_ADDRESS = 0x87, WORD_ADDRESS = 0x88,
            QWORD_ADDRESS = 0x8a;
    // Address space descriptor resource types.
    private static final int RESOURCE_MEMORY = 0, RESOURCE_IO = 1, RESOURCE_BUS = 2;
    /**
     * General flags of an address space descriptor as every window here declares it: bit 0 clear =
     * ResourceProducer (a bridge passing the range on), bit 1 clear = PosDecode, bits 2 and 3 =
     * MinFixed and MaxFixed.
     */
    private static final int PRODUCER_POS_MIN_MAX_FIXED = 0x0c;
    /** I/O type-specific flags: EntireRange (_RNG = 3), TypeStatic, no translation. */
    private static final int IO_ENTIRE_RANGE = 0x03;
    /** Memory type-specific flags: ReadWrite (bit 0), NonCacheable, AddressRangeMemory, TypeStatic. */
    private static final int MEM_READ_WRITE_NON_CACHEABLE = 0x01;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** {@code IO (Decode16, min, max, alignment, length)}. */
    public ResourceTemplate io(int min, int max, int alignment, int length) {
        checkRange(min, 0xffff, "IO minimum");
        checkRange(max, 0xffff, "IO maximum");
        checkRange(alignment, 0xff, "IO alignment");
        checkRange(length, 0xff, "IO length");
        out.write(IO_TAG);
        out.write(0x01); // Decode16: the device decodes all 16 address bits
        le(min, 2);
        le(max, 2);
        out.write(alignment);
        out.write(length);
        return this;
    }

    /** A fixed I/O range the way bhyve writes its ISA devices: {@code IO (Decode16, p, p, 1, n)}. */
    public ResourceTemplate fixedIo(int port, int length) {
        return io(port, port, 1, length);
    }

    /** {@code IRQNoFlags () {irqs}}: edge-triggered, active-high, exclusive ISA interrupts. */
    public ResourceTemplate irqNoFlags(int... irqs) {
        out.write(IRQ_TAG_NO_FLAGS);
        le(irqMask(irqs), 2);
        return this;
    }

    /** {@code IRQ (Edge|Level, ActiveHigh|ActiveLow, Exclusive|Shared) {irqs}}. */
    public ResourceTemplate irq(boolean edge, boolean activeLow, boolean shared, int... irqs) {
        out.write(IRQ_TAG);
        le(irqMask(irqs), 2);
        out.write((edge ? 0x01 : 0) | (activeLow ? 0x08 : 0) | (shared ? 0x10 : 0));
        return this;
    }

    /** {@code Memory32Fixed (ReadWrite|ReadOnly, base, length)}. */
    public ResourceTemplate memory32Fixed(boolean readWrite, long base, long length) {
        checkRange(base, 0xffff_ffffL, "Memory32Fixed base");
        checkRange(length, 0xffff_ffffL, "Memory32Fixed length");
        out.write(MEMORY32_FIXED);
        le(9, 2);
        out.write(readWrite ? 1 : 0);
        le(base, 4);
        le(length, 4);
        return this;
    }

    /** {@code WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, min, max, 0, n)}. */
    public ResourceTemplate wordBusNumber(int min, int max) {
        return address(WORD_ADDRESS, 2, RESOURCE_BUS, 0, min, max);
    }

    /** {@code WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, min, max, 0, n)}. */
    public ResourceTemplate wordIo(int min, int max) {
        return address(WORD_ADDRESS, 2, RESOURCE_IO, IO_ENTIRE_RANGE, min, max);
    }

    /**
     * {@code DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
     * 0, min, max, 0, n)}.
     */
    public ResourceTemplate dwordMemory(long min, long max) {
        return address(DWORD_ADDRESS, 4, RESOURCE_MEMORY, MEM_READ_WRITE_NON_CACHEABLE, min, max);
    }

    /** The QWordMemory counterpart of {@link #dwordMemory}, for windows above 4 GiB. */
    public ResourceTemplate qwordMemory(long min, long max) {
        return address(QWORD_ADDRESS, 8, RESOURCE_MEMORY, MEM_READ_WRITE_NON_CACHEABLE, min, max);
    }

    /**
     * The template as {@code Buffer}, closed by the End Tag. Its checksum byte is 0, which the spec
     * defines as "the checksum is correct" and which is what iasl emits.
     */
    public AmlTerm build() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.write(END_TAG);
        all.write(0);
        return Aml.buffer(all.toByteArray());
    }

    /**
     * Word, DWord and QWord address space descriptors share one layout, with fields of
     * {@code size} bytes: type, general flags, type-specific flags, then granularity, minimum,
     * maximum, translation offset and length. The length is derived from the inclusive range.
     */
    private ResourceTemplate address(int tag, int size, int resourceType, int typeFlags, long min, long max) {
        long fieldMax = size == 8 ? -1L : (1L << (8 * size)) - 1;
        if (size < 8) {
            checkRange(min, fieldMax, "address minimum");
            checkRange(max, fieldMax, "address maximum");
        }
        if (Long.compareUnsigned(max, min) < 0) {
            throw new IllegalArgumentException(String.format("empty address range 0x%x-0x%x", min, max));
        }
        long length = max - min + 1;
        if (size < 8 && length > fieldMax) {
            throw new IllegalArgumentException(String.format("range 0x%x-0x%x too long for its descriptor", min, max));
        }
        out.write(tag);
        le(3 + 5 * size, 2); // bytes after the length field
        out.write(resourceType);
        out.write(PRODUCER_POS_MIN_MAX_FIXED);
        out.write(typeFlags);
        le(0, size);         // granularity: 0, as bhyve writes it
        le(min, size);
        le(max, size);
        le(0, size);         // translation offset: none, host and guest addresses are the same
        le(length, size);
        return this;
    }

    private static int irqMask(int... irqs) {
        int mask = 0;
        for (int irq : irqs) {
            if (irq < 0 || irq > 15) throw new IllegalArgumentException("ISA IRQ out of range: " + irq);
            mask |= 1 << irq;
        }
        return mask;
    }

    private void le(long v, int size) {
        for (int k = 0; k < size; k++) out.write((int) (v >>> (8 * k)));
    }

    private static void checkRange(long v, long max, String what) {
        if (v < 0 || v > max) throw new IllegalArgumentException(what + " out of range: 0x" + Long.toHexString(v));
    }
}
