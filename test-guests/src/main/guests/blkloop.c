/*
 * blkloop: writes sectors through virtio-blk's legacy interface forever, for
 * tests that suspend and restore a guest in the middle of its disk I/O. Sets
 * the function up as virtioblk does, then for k = 0, 1, 2, ...: writes sector
 * (k mod 64) + 1 with 64 little-endian words all equal to k, waits for the
 * used ring, prints "wrote <k>", FLUSHes after every 8th write, and sleeps
 * ~50 ms (LAPIC ticks). k lives in guest memory, so a restored guest carries on
 * from where its snapshot left it.
 */
#include "vio.h"

#define BLK_DEVICE 0x1001
#define BLK_F_FLUSH (1u << 9)
#define T_OUT 1
#define T_FLUSH 4
#define SECTORS 64

#define RING 0x30000
#define HEADER 0x40000
#define STATUS 0x40100
#define WBUF 0x41000
#define WAIT_TICKS (5000 / TICK_MS)
#define PAUSE_TICKS (50 / TICK_MS)

struct blk_header {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;
};

static struct vring q;
static uint16_t io;
/* The next write's number; advanced only after "wrote <k>" has been printed. */
static volatile uint64_t k;

static int fail(const char *what)
{
	print("blkloop fail ");
	print(what);
	print(" at ");
	print_dec(k);
	print_char('\n');
	return 1;
}

/* One request: header, optional driver-written data, status byte. Returns the status or -1 on timeout. */
static int request(uint32_t type, uint64_t sector, uint32_t len)
{
	volatile struct blk_header *h = (volatile struct blk_header *)HEADER;
	h->type = type;
	h->ioprio = 0;
	h->sector = sector;
	*(volatile uint8_t *)STATUS = 0xff;
	if (len) {
		vring_desc_set(&q, 0, HEADER, sizeof(struct blk_header), VRING_DESC_F_NEXT, 1);
		vring_desc_set(&q, 1, WBUF, len, VRING_DESC_F_NEXT, 2);
	} else {
		vring_desc_set(&q, 0, HEADER, sizeof(struct blk_header), VRING_DESC_F_NEXT, 2);
	}
	vring_desc_set(&q, 2, STATUS, 1, VRING_DESC_F_WRITE, 0);
	vring_offer(&q, 0);
	outw(0, (uint16_t)(io + VL_QUEUE_NOTIFY));
	if (vring_wait(&q, 0, WAIT_TICKS) != 0)
		return -1;
	return *(volatile uint8_t *)STATUS;
}

int main(void)
{
	vio_runtime_init();

	int base = vio_legacy_open(VIRTIO_VENDOR, BLK_DEVICE);
	if (base == VIO_NO_DEVICE)
		return fail("no 1af4:1001 on bus 0");
	if (base == VIO_NOT_IO_BAR)
		return fail("bar0 is not an I/O bar");
	io = (uint16_t)base;
	uint32_t host = inl((uint16_t)(io + VL_HOST_FEATURES));
	if (!(host & BLK_F_FLUSH))
		return fail("no VIRTIO_BLK_F_FLUSH");
	outl(BLK_F_FLUSH, (uint16_t)(io + VL_GUEST_FEATURES));
	uint32_t cap_lo = inl((uint16_t)(io + VL_CONFIG));
	uint32_t cap_hi = inl((uint16_t)(io + VL_CONFIG + 4));
	if (cap_hi == 0 && cap_lo < SECTORS + 1)
		return fail("disk too small");

	outw(0, (uint16_t)(io + VL_QUEUE_SEL));
	unsigned size = inw((uint16_t)(io + VL_QUEUE_NUM));
	if (size < 4 || size > 256)
		return fail("queue size");
	vring_init(&q, RING, size);
	outl(RING >> 12, (uint16_t)(io + VL_QUEUE_PFN));
	outb(VS_ACK | VS_DRIVER | VS_DRIVER_OK, (uint16_t)(io + VL_STATUS));
	print("blkloop ready\n");

	volatile uint64_t *w = (volatile uint64_t *)WBUF;
	for (;;) {
		uint64_t n = k;
		for (unsigned i = 0; i < 512 / 8; i++)
			w[i] = n;
		if (request(T_OUT, n % SECTORS + 1, 512) != 0)
			return fail("write");
		print("wrote ");
		print_dec(n);
		print_char('\n');
		if (n % 8 == 7 && request(T_FLUSH, 0, 0) != 0)
			return fail("flush");
		k = n + 1;
		uint64_t start = ticks;
		while (ticks - start < PAUSE_TICKS)
			sti_hlt_cli();
	}
}
