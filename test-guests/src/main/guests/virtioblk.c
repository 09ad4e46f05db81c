/*
 * virtioblk: drives a virtio-blk function through the legacy interface: finds
 * 1af4:1001 on bus 0, negotiates VIRTIO_BLK_F_FLUSH, sets up queue 0 in its own
 * memory (page frame 0x30), writes sector 2 with a known pattern, flushes,
 * reads the sector back into another buffer and compares, asks for the device
 * ID, and reports. The host then checks the image file.
 */
#include "vio.h"

#define BLK_DEVICE 0x1001
#define BLK_F_FLUSH (1u << 9)
#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8
#define SECTOR 2

#define RING 0x30000
#define HEADER 0x40000
#define STATUS 0x40100
#define WBUF 0x41000
#define RBUF 0x42000
#define IDBUF 0x43000
#define WAIT_TICKS (5000 / TICK_MS)

struct blk_header {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;
};

static struct vring q;
static uint16_t io;

static int fail(const char *what)
{
	print("blk fail ");
	print(what);
	print_char('\n');
	return 1;
}

/* One request: header, optional data buffer, status byte. Returns the status or -1 on timeout. */
static int request(uint32_t type, uint64_t sector, uintptr_t buf, uint32_t len, int device_writes)
{
	volatile struct blk_header *h = (volatile struct blk_header *)HEADER;
	h->type = type;
	h->ioprio = 0;
	h->sector = sector;
	*(volatile uint8_t *)STATUS = 0xff;
	if (len) {
		vring_desc_set(&q, 0, HEADER, sizeof(struct blk_header), VRING_DESC_F_NEXT, 1);
		vring_desc_set(&q, 1, buf, len, VRING_DESC_F_NEXT | (device_writes ? VRING_DESC_F_WRITE : 0), 2);
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
	outl(host & BLK_F_FLUSH, (uint16_t)(io + VL_GUEST_FEATURES));
	uint32_t cap_lo = inl((uint16_t)(io + VL_CONFIG));
	uint32_t cap_hi = inl((uint16_t)(io + VL_CONFIG + 4));

	outw(0, (uint16_t)(io + VL_QUEUE_SEL));
	unsigned size = inw((uint16_t)(io + VL_QUEUE_NUM));
	if (size < 4 || size > 256)
		return fail("queue size");
	vring_init(&q, RING, size);
	outl(RING >> 12, (uint16_t)(io + VL_QUEUE_PFN));
	outb(VS_ACK | VS_DRIVER | VS_DRIVER_OK, (uint16_t)(io + VL_STATUS));

	print("blk capacity ");
	print_dec((uint64_t)cap_hi << 32 | cap_lo);
	print(" queue ");
	print_dec(size);
	print_char('\n');

	volatile uint8_t *w = (volatile uint8_t *)WBUF, *r = (volatile uint8_t *)RBUF;
	for (unsigned i = 0; i < 512; i++) {
		w[i] = (uint8_t)(i * 3 + 1);
		r[i] = 0;
	}
	if (request(T_OUT, SECTOR, WBUF, 512, 0) != 0)
		return fail("write");
	if (request(T_FLUSH, 0, 0, 0, 0) != 0)
		return fail("flush");
	if (request(T_IN, SECTOR, RBUF, 512, 1) != 0)
		return fail("read");
	for (unsigned i = 0; i < 512; i++)
		if (r[i] != w[i])
			return fail("read back differs");
	volatile char *id = (volatile char *)IDBUF;
	for (unsigned i = 0; i < 21; i++)
		id[i] = 0;
	if (request(T_GET_ID, 0, IDBUF, 20, 1) != 0)
		return fail("get id");
	print("blk id ");
	for (unsigned i = 0; i < 20 && id[i]; i++)
		print_char(id[i] >= 0x20 && id[i] < 0x7f ? id[i] : '?');
	print_char('\n');

	tick_stop();
	print("blk ok\n");
	return 0;
}
