/*
 * mmio: a fixed sequence of accesses of every width to a host-emulated
 * device window at GPA 0xd0000000 (not RAM, so each access is an MMIO exit).
 * Each read value is printed as "read <addr> <value>" in lowercase hex
 * without leading zeros.
 */
#include "rt.h"

#define MMIO_BASE 0xd0000000UL

static void report(uintptr_t addr, uint64_t value)
{
	print("read ");
	print_hex(addr);
	print_char(' ');
	print_hex(value);
	print_char('\n');
}

int main(void)
{
	idt_init(); /* a stray fault is reported instead of triple-faulting */

	mmio_write32(MMIO_BASE + 0x00, 0x12345678);
	report(MMIO_BASE + 0x04, mmio_read32(MMIO_BASE + 0x04));
	mmio_write8(MMIO_BASE + 0x10, 0xab);
	report(MMIO_BASE + 0x12, mmio_read16(MMIO_BASE + 0x12));
	mmio_write64(MMIO_BASE + 0x18, 0x1122334455667788ULL);
	report(MMIO_BASE + 0x20, mmio_read64(MMIO_BASE + 0x20));
	return STATUS_OK;
}
