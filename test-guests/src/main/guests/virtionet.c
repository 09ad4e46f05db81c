/*
 * virtionet: exchanges Ethernet frames through a virtio-net function over the
 * legacy interface: finds 1af4:1000, negotiates no feature (10-byte virtio-net
 * header, one buffer per frame), prints the MAC address from the device
 * configuration, offers one 2 KiB receive buffer, waits for a frame of
 * EtherType 0x88b5 (others, e.g. IPv6 neighbour discovery, are skipped) and
 * prints its payload, then sends a 0x88b5 frame back to its sender carrying
 * "pong from guest" and waits for the transmit to be used.
 */
#include "vio.h"

#define NET_DEVICE 0x1000
#define ETHERTYPE 0x88b5
#define HDR 10

#define RXRING 0x30000
#define TXRING 0x38000
#define RXBUF 0x40000
#define RXLEN 2048
#define TXHDR 0x41000
#define TXBUF 0x41100
#define WAIT_TICKS (60000 / TICK_MS)

static struct vring rxq, txq;
static uint16_t io;
static uint8_t mac[6];

static int fail(const char *what)
{
	print("net fail ");
	print(what);
	print_char('\n');
	return 1;
}

static unsigned queue_setup(unsigned index, struct vring *r, uintptr_t base)
{
	outw((uint16_t)index, (uint16_t)(io + VL_QUEUE_SEL));
	unsigned size = inw((uint16_t)(io + VL_QUEUE_NUM));
	if (size < 2 || size > 1024)
		return 0;
	vring_init(r, base, size);
	outl((uint32_t)(base >> 12), (uint16_t)(io + VL_QUEUE_PFN));
	return size;
}

static void offer_rx(void)
{
	vring_desc_set(&rxq, 0, RXBUF, RXLEN, VRING_DESC_F_WRITE, 0);
	vring_offer(&rxq, 0);
	outw(0, (uint16_t)(io + VL_QUEUE_NOTIFY));
}

int main(void)
{
	vio_runtime_init();

	int base = vio_legacy_open(VIRTIO_VENDOR, NET_DEVICE);
	if (base == VIO_NO_DEVICE)
		return fail("no 1af4:1000 on bus 0");
	if (base == VIO_NOT_IO_BAR)
		return fail("bar0 is not an I/O bar");
	io = (uint16_t)base;
	if (!(inl((uint16_t)(io + VL_HOST_FEATURES)) & (1u << 5)))
		return fail("no VIRTIO_NET_F_MAC");
	outl(0, (uint16_t)(io + VL_GUEST_FEATURES));
	for (unsigned i = 0; i < 6; i++)
		mac[i] = inb((uint16_t)(io + VL_CONFIG + i));
	if (!queue_setup(0, &rxq, RXRING) || !queue_setup(1, &txq, TXRING))
		return fail("queue size");
	outb(VS_ACK | VS_DRIVER | VS_DRIVER_OK, (uint16_t)(io + VL_STATUS));

	print("net mac ");
	for (unsigned i = 0; i < 6; i++) {
		if (i)
			print_char(':');
		print_hex_pad(mac[i], 2);
	}
	print_char('\n');

	volatile uint8_t *rx = (volatile uint8_t *)RXBUF;
	uint32_t len = 0;
	for (unsigned tries = 0;; tries++) {
		if (tries == 16)
			return fail("no 0x88b5 frame among 16");
		offer_rx();
		if (vring_wait(&rxq, &len, WAIT_TICKS) != 0)
			return fail("nothing received");
		if (len >= HDR + 14 && rx[HDR + 12] == (ETHERTYPE >> 8) && rx[HDR + 13] == (ETHERTYPE & 0xff))
			break;
	}
	print("net got ");
	for (uint32_t i = HDR + 14; i < len && rx[i] >= 0x20 && rx[i] < 0x7f; i++)
		print_char((char)rx[i]);
	print_char('\n');

	volatile uint8_t *h = (volatile uint8_t *)TXHDR, *f = (volatile uint8_t *)TXBUF;
	for (unsigned i = 0; i < HDR; i++)
		h[i] = 0;
	for (unsigned i = 0; i < 6; i++) {
		f[i] = rx[HDR + 6 + i]; /* back to the sender */
		f[6 + i] = mac[i];
	}
	f[12] = ETHERTYPE >> 8;
	f[13] = ETHERTYPE & 0xff;
	const char *payload = "pong from guest";
	unsigned n = 14;
	for (const char *p = payload; *p; p++)
		f[n++] = (uint8_t)*p;
	while (n < 60)
		f[n++] = 0;
	vring_desc_set(&txq, 0, TXHDR, HDR, VRING_DESC_F_NEXT, 1);
	vring_desc_set(&txq, 1, TXBUF, n, 0, 0);
	vring_offer(&txq, 0);
	outw(1, (uint16_t)(io + VL_QUEUE_NOTIFY));
	if (vring_wait(&txq, 0, WAIT_TICKS) != 0)
		return fail("transmit not used");

	tick_stop();
	print("net ok\n");
	return 0;
}
