/* vio: PCI lookup and the driver side of a split virtqueue (see vio.h). */
#include "vio.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc

uint32_t pci_read32(unsigned slot, unsigned reg)
{
	outl(0x80000000u | slot << 11 | (reg & 0xfc), PCI_CONFIG_ADDRESS);
	return inl(PCI_CONFIG_DATA);
}

void pci_write32(unsigned slot, unsigned reg, uint32_t v)
{
	outl(0x80000000u | slot << 11 | (reg & 0xfc), PCI_CONFIG_ADDRESS);
	outl(v, PCI_CONFIG_DATA);
}

int pci_find(uint16_t vendor, uint16_t device)
{
	uint32_t want = (uint32_t)device << 16 | vendor;
	for (unsigned slot = 0; slot < 32; slot++)
		if (pci_read32(slot, 0) == want)
			return (int)slot;
	return -1;
}

int vio_legacy_open(uint16_t vendor, uint16_t device)
{
	int slot = pci_find(vendor, device);
	if (slot < 0)
		return VIO_NO_DEVICE;
	uint32_t bar0 = pci_read32((unsigned)slot, 0x10);
	if (!(bar0 & 1))
		return VIO_NOT_IO_BAR;
	uint16_t io = (uint16_t)(bar0 & ~3u);
	pci_write32((unsigned)slot, 0x04, pci_read32((unsigned)slot, 0x04) | 0x5); /* I/O + bus master */
	outb(0, (uint16_t)(io + VL_STATUS));
	outb(VS_ACK | VS_DRIVER, (uint16_t)(io + VL_STATUS));
	return io;
}

void vring_init(struct vring *r, uintptr_t base, unsigned size)
{
	uintptr_t avail = base + 16 * size;
	uintptr_t used = (avail + 2 * (3 + size) + 4095) & ~(uintptr_t)4095;
	memset((void *)base, 0, used + 4 + 8 * size + 2 - base);
	r->desc = (volatile struct vring_desc *)base;
	r->avail = (volatile uint16_t *)avail;
	r->used = (volatile uint32_t *)used;
	r->size = size;
	r->next_avail = 0;
	r->last_used = 0;
}

void vring_desc_set(struct vring *r, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	r->desc[i].addr = addr;
	r->desc[i].len = len;
	r->desc[i].flags = flags;
	r->desc[i].next = next;
}

void vring_offer(struct vring *r, unsigned head)
{
	r->avail[2 + r->next_avail % r->size] = (uint16_t)head;
	barrier(); /* x86 keeps stores in order; the compiler must too */
	r->next_avail++;
	r->avail[1] = r->next_avail;
	barrier();
}

int vring_wait(struct vring *r, uint32_t *len, uint64_t timeout_ticks)
{
	uint64_t start = ticks;
	while ((uint16_t)(r->used[0] >> 16) == r->last_used) {
		if (ticks - start > timeout_ticks)
			return -1;
		sti_hlt_cli();
	}
	barrier();
	volatile uint32_t *e = r->used + 1 + 2 * (r->last_used % r->size);
	r->last_used++;
	if (len)
		*len = e[1];
	return (int)e[0];
}

void vio_runtime_init(void)
{
	idt_init();
	lapic_enable();
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	tick_start(TICK_VECTOR);
}
