/*
 * pcienum: enumerates PCI bus 0 through configuration mechanism #1 (ports
 * 0xcf8/0xcfc), sizes every BAR the standard way (decode off in COMMAND while
 * sizing, everything restored afterwards), then reads every function's
 * vendor/device again through ECAM at 0xe0000000 and compares.
 */
#include "rt.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_ECAM_BASE 0xe0000000UL

#define PCI_VENDOR_ID 0x00
#define PCI_COMMAND 0x04
#define PCI_CLASS_REV 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10

#define PCI_COMMAND_DECODE 0x0003 /* I/O space | memory space */
#define PCI_HEADER_MULTIFUNCTION 0x80

#define BAR_IO 0x1
#define BAR_MEM_TYPE_MASK 0x6
#define BAR_MEM_TYPE_64 0x4

#define MAX_FUNCTIONS 256 /* all of bus 0 */

#define STATUS_FAILED 1

struct function {
	uint8_t slot, fn;
	uint32_t id; /* device << 16 | vendor */
};

static struct function found[MAX_FUNCTIONS];

static void cfg_select(unsigned slot, unsigned fn, unsigned reg)
{
	outl(0x80000000u | slot << 11 | fn << 8 | (reg & 0xfc), PCI_CONFIG_ADDRESS);
}

static uint32_t cfg_read32(unsigned slot, unsigned fn, unsigned reg)
{
	cfg_select(slot, fn, reg);
	return inl(PCI_CONFIG_DATA);
}

static void cfg_write32(unsigned slot, unsigned fn, unsigned reg, uint32_t v)
{
	cfg_select(slot, fn, reg);
	outl(v, PCI_CONFIG_DATA);
}

static uint16_t cfg_read16(unsigned slot, unsigned fn, unsigned reg)
{
	cfg_select(slot, fn, reg);
	return inw((uint16_t)(PCI_CONFIG_DATA + (reg & 2)));
}

/* A 16-bit write, so that COMMAND writes never touch STATUS (write-1-to-clear bits). */
static void cfg_write16(unsigned slot, unsigned fn, unsigned reg, uint16_t v)
{
	cfg_select(slot, fn, reg);
	outw(v, (uint16_t)(PCI_CONFIG_DATA + (reg & 2)));
}

static uint8_t cfg_read8(unsigned slot, unsigned fn, unsigned reg)
{
	cfg_select(slot, fn, reg);
	return inb((uint16_t)(PCI_CONFIG_DATA + (reg & 3)));
}

static void print_bar(unsigned i, const char *kind, uint64_t base, uint64_t size)
{
	print("  bar");
	print_dec(i);
	print_char(' ');
	print(kind);
	print(" base ");
	print_hex(base);
	print(" size ");
	print_hex(size);
	print_char('\n');
}

/* Sizes the BARs of one function; the caller has turned decoding off. */
static void size_bars(unsigned slot, unsigned fn, unsigned nbars)
{
	for (unsigned i = 0; i < nbars; i++) {
		unsigned reg = PCI_BAR0 + 4 * i;
		uint32_t orig = cfg_read32(slot, fn, reg);
		cfg_write32(slot, fn, reg, 0xffffffffu);
		uint32_t probe = cfg_read32(slot, fn, reg);
		cfg_write32(slot, fn, reg, orig);

		if (orig & BAR_IO) {
			uint32_t mask = probe & ~0x3u;
			if (mask == 0)
				continue; /* not implemented */
			mask |= 0xffff0000u; /* I/O BARs may implement only the low 16 bits */
			print_bar(i, "io", orig & ~0x3u, (uint32_t)(~mask + 1));
		} else if ((orig & BAR_MEM_TYPE_MASK) == BAR_MEM_TYPE_64 && i + 1 < nbars) {
			unsigned hreg = reg + 4;
			uint32_t orig_hi = cfg_read32(slot, fn, hreg);
			cfg_write32(slot, fn, hreg, 0xffffffffu);
			uint32_t probe_hi = cfg_read32(slot, fn, hreg);
			cfg_write32(slot, fn, hreg, orig_hi);
			uint64_t mask = (uint64_t)probe_hi << 32 | (probe & ~0xfu);
			if (mask != 0)
				print_bar(i, "mem64", ((uint64_t)orig_hi << 32 | orig) & ~0xfULL, ~mask + 1);
			i++; /* the upper half is not a BAR of its own */
		} else {
			uint32_t mask = probe & ~0xfu;
			if (mask == 0)
				continue;
			print_bar(i, "mem32", orig & ~0xfu, (uint32_t)(~mask + 1));
		}
	}
}

static void probe_function(unsigned slot, unsigned fn, uint32_t id, unsigned *n)
{
	uint32_t class = cfg_read32(slot, fn, PCI_CLASS_REV) >> 8;
	print("pci 00:");
	print_hex_pad(slot, 2);
	print_char('.');
	print_hex_pad(fn, 1);
	print_char(' ');
	print_hex_pad(id & 0xffff, 4);
	print_char(':');
	print_hex_pad(id >> 16, 4);
	print(" class ");
	print_hex_pad(class, 6);
	print_char('\n');

	/* Header type 0 has six BARs, type 1 (PCI-PCI bridge) two, type 2 (CardBus) one. */
	uint8_t htype = cfg_read8(slot, fn, PCI_HEADER_TYPE) & 0x7f;
	unsigned nbars = htype == 0 ? 6 : htype == 1 ? 2 : 1;
	uint16_t cmd = cfg_read16(slot, fn, PCI_COMMAND);
	cfg_write16(slot, fn, PCI_COMMAND, cmd & ~PCI_COMMAND_DECODE);
	size_bars(slot, fn, nbars);
	cfg_write16(slot, fn, PCI_COMMAND, cmd);

	if (*n < MAX_FUNCTIONS) {
		found[*n].slot = (uint8_t)slot;
		found[*n].fn = (uint8_t)fn;
		found[*n].id = id;
	}
	(*n)++;
}

int main(void)
{
	idt_init(); /* a fault is reported, not a triple fault */

	unsigned n = 0;
	for (unsigned slot = 0; slot < 32; slot++) {
		uint32_t id = cfg_read32(slot, 0, PCI_VENDOR_ID);
		if ((id & 0xffff) == 0xffff)
			continue;
		probe_function(slot, 0, id, &n);
		if (!(cfg_read8(slot, 0, PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNCTION))
			continue;
		for (unsigned fn = 1; fn < 8; fn++) {
			id = cfg_read32(slot, fn, PCI_VENDOR_ID);
			if ((id & 0xffff) != 0xffff)
				probe_function(slot, fn, id, &n);
		}
	}

	int status = n == 0 ? STATUS_FAILED : STATUS_OK;
	unsigned last_bad_slot = 0xff;
	for (unsigned i = 0; i < n && i < MAX_FUNCTIONS; i++) {
		uintptr_t a = PCI_ECAM_BASE | (uintptr_t)found[i].slot << 15 | (uintptr_t)found[i].fn << 12;
		if (mmio_read32(a + PCI_VENDOR_ID) != found[i].id && found[i].slot != last_bad_slot) {
			print("ecam mismatch ");
			print_hex_pad(found[i].slot, 2);
			print_char('\n');
			last_bad_slot = found[i].slot;
			status = STATUS_FAILED;
		}
	}
	if (status == STATUS_OK)
		print("ecam ok\n");

	print("pci functions=");
	print_dec(n);
	print_char('\n');
	return status;
}
