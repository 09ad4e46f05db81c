/*
 * virtiornd: drives a virtio-rnd function through the modern (virtio 1.0)
 * interface: finds 1af4:1005, walks its vendor capabilities for the common,
 * notify and ISR structures in its 64-bit memory BAR, negotiates
 * VIRTIO_F_VERSION_1 (FEATURES_OK), sets up an 8-entry queue, asks for 64
 * random bytes and checks they are not all zero.
 */
#include "vio.h"

#define RND_DEVICE 0x1005
#define CAP_VENDOR 0x09
#define CFG_COMMON 1
#define CFG_NOTIFY 2

/* struct virtio_pci_common_cfg */
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_STATUS 0x14
#define C_Q_SELECT 0x16
#define C_Q_SIZE 0x18
#define C_Q_ENABLE 0x1c
#define C_Q_NOFF 0x1e
#define C_Q_DESC 0x20
#define C_Q_AVAIL 0x28
#define C_Q_USED 0x30

#define RING 0x30000
#define BUF 0x40000
#define QSIZE 8

static struct vring q;

static int fail(const char *what)
{
	print("rnd fail ");
	print(what);
	print_char('\n');
	return 1;
}

static uint64_t bar_address(unsigned slot, unsigned bar)
{
	uint32_t lo = pci_read32(slot, 0x10 + 4 * bar);
	uint64_t a = lo & ~0xfu;
	if ((lo & 0x6) == 0x4)
		a |= (uint64_t)pci_read32(slot, 0x14 + 4 * bar) << 32;
	return a;
}

static void write64(uintptr_t at, uint64_t v)
{
	mmio_write32(at, (uint32_t)v);
	mmio_write32(at + 4, (uint32_t)(v >> 32));
}

int main(void)
{
	vio_runtime_init();

	int found = pci_find(VIRTIO_VENDOR, RND_DEVICE);
	if (found < 0)
		return fail("no 1af4:1005 on bus 0");
	unsigned slot = (unsigned)found;
	pci_write32(slot, 0x04, pci_read32(slot, 0x04) | 0x6); /* memory + bus master */

	uintptr_t common = 0, notify = 0;
	uint32_t multiplier = 0;
	unsigned at = pci_read32(slot, 0x34) & 0xfc;
	for (unsigned hops = 0; at && hops < 48; hops++) {
		uint32_t head = pci_read32(slot, at);
		if ((head & 0xff) == CAP_VENDOR) {
			unsigned type = (head >> 24) & 0xff;
			unsigned bar = pci_read32(slot, at + 4) & 0xff;
			uint32_t off = pci_read32(slot, at + 8);
			uint64_t base = bar_address(slot, bar);
			if (base == 0 || base >= 0x100000000ull)
				return fail("modern bar not below 4 GiB");
			if (type == CFG_COMMON)
				common = (uintptr_t)(base + off);
			if (type == CFG_NOTIFY) {
				notify = (uintptr_t)(base + off);
				multiplier = pci_read32(slot, at + 16);
			}
		}
		at = (head >> 8) & 0xfc;
	}
	if (!common || !notify)
		return fail("no common/notify capability");

	mmio_write8(common + C_STATUS, 0);
	mmio_write8(common + C_STATUS, VS_ACK | VS_DRIVER);
	mmio_write32(common + C_DFSELECT, 1);
	if (!(mmio_read32(common + C_DF) & 1))
		return fail("no VIRTIO_F_VERSION_1");
	mmio_write32(common + C_GFSELECT, 0);
	mmio_write32(common + C_GF, 0);
	mmio_write32(common + C_GFSELECT, 1);
	mmio_write32(common + C_GF, 1);
	mmio_write8(common + C_STATUS, VS_ACK | VS_DRIVER | VS_FEATURES_OK);
	if (!(mmio_read8(common + C_STATUS) & VS_FEATURES_OK))
		return fail("FEATURES_OK refused");

	mmio_write16(common + C_Q_SELECT, 0);
	unsigned max = mmio_read16(common + C_Q_SIZE);
	if (max < QSIZE)
		return fail("queue too small");
	mmio_write16(common + C_Q_SIZE, QSIZE);
	vring_init(&q, RING, QSIZE);
	write64(common + C_Q_DESC, (uintptr_t)q.desc);
	write64(common + C_Q_AVAIL, (uintptr_t)q.avail);
	write64(common + C_Q_USED, (uintptr_t)q.used);
	mmio_write16(common + C_Q_ENABLE, 1);
	unsigned noff = mmio_read16(common + C_Q_NOFF);
	mmio_write8(common + C_STATUS, VS_ACK | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK);

	volatile uint8_t *buf = (volatile uint8_t *)BUF;
	for (unsigned i = 0; i < 64; i++)
		buf[i] = 0;
	vring_desc_set(&q, 0, BUF, 64, VRING_DESC_F_WRITE, 0);
	vring_offer(&q, 0);
	mmio_write16(notify + noff * multiplier, 0);
	uint32_t len = 0;
	if (vring_wait(&q, &len, 5000 / TICK_MS) != 0)
		return fail("no used entry");
	if (len != 64)
		return fail("short read");
	unsigned nonzero = 0;
	for (unsigned i = 0; i < 64; i++)
		nonzero += buf[i] != 0;
	if (nonzero == 0)
		return fail("all zero");
	if (mmio_read8(common + C_STATUS) & VS_NEEDS_RESET)
		return fail("device needs reset");

	tick_stop();
	print("rnd ok\n");
	return 0;
}
