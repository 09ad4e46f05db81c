/*
 * virtiocon: drives a virtio-console function through the legacy interface
 * with VIRTIO_CONSOLE_F_MULTIPORT: sets up port 0's receive and transmit
 * queues and the control pair, says DEVICE_READY, answers DEVICE_ADD with
 * PORT_READY, prints the port's name and waits (up to ~10 s) for PORT_OPEN 1,
 * i.e. for the host to connect to the port's socket. Then it writes a line to
 * the port and prints the first line the host sends back.
 */
#include "vio.h"

#define CON_DEVICE 0x1003
#define F_MULTIPORT (1u << 1)

#define DEVICE_READY 0
#define DEVICE_ADD 1
#define PORT_READY 3
#define PORT_OPEN 6
#define PORT_NAME 7

#define RX_RING 0x30000
#define TX_RING 0x32000
#define CRX_RING 0x34000
#define CTX_RING 0x36000
#define CRX_BUF 0x40000 /* 8 buffers of 64 bytes */
#define CTX_BUF 0x41000 /* 16 bytes per message */
#define TX_BUF 0x42000
#define RX_BUF 0x43000
#define QSIZE 64
#define OPEN_TICKS (10000 / TICK_MS)

struct control {
	uint32_t id;
	uint16_t event;
	uint16_t value;
};

static struct vring rx, tx, crx, ctx;
static uint16_t io;
static unsigned sent;

static int fail(const char *what)
{
	print("con fail ");
	print(what);
	print_char('\n');
	return 1;
}

static void notify(unsigned queue)
{
	outw((uint16_t)queue, (uint16_t)(io + VL_QUEUE_NOTIFY));
}

static void queue_setup(struct vring *r, unsigned index, uintptr_t base)
{
	outw((uint16_t)index, (uint16_t)(io + VL_QUEUE_SEL));
	vring_init(r, base, QSIZE);
	outl((uint32_t)(base >> 12), (uint16_t)(io + VL_QUEUE_PFN));
}

static void send_control(uint32_t id, uint16_t event, uint16_t value)
{
	unsigned slot = sent++ % QSIZE;
	volatile struct control *m = (volatile struct control *)(uintptr_t)(CTX_BUF + 16 * slot);
	m->id = id;
	m->event = event;
	m->value = value;
	vring_desc_set(&ctx, slot, (uintptr_t)m, sizeof(struct control), 0, 0);
	vring_offer(&ctx, slot);
	notify(3);
}

int main(void)
{
	vio_runtime_init();

	int base = vio_legacy_open(VIRTIO_VENDOR, CON_DEVICE);
	if (base == VIO_NO_DEVICE)
		return fail("no 1af4:1003 on bus 0");
	if (base == VIO_NOT_IO_BAR)
		return fail("bar0 is not an I/O bar");
	io = (uint16_t)base;
	if (!(inl((uint16_t)(io + VL_HOST_FEATURES)) & F_MULTIPORT))
		return fail("no MULTIPORT");
	outl(F_MULTIPORT, (uint16_t)(io + VL_GUEST_FEATURES));
	queue_setup(&rx, 0, RX_RING);
	queue_setup(&tx, 1, TX_RING);
	queue_setup(&crx, 2, CRX_RING);
	queue_setup(&ctx, 3, CTX_RING);
	outb(VS_ACK | VS_DRIVER | VS_DRIVER_OK, (uint16_t)(io + VL_STATUS));

	for (unsigned i = 0; i < 8; i++) {
		vring_desc_set(&crx, i, CRX_BUF + 64 * i, 64, VRING_DESC_F_WRITE, 0);
		vring_offer(&crx, i);
	}
	notify(2);
	send_control(0, DEVICE_READY, 1);

	uint64_t start = ticks;
	int open = 0;
	while (!open) {
		uint64_t spent = ticks - start;
		if (spent > OPEN_TICKS)
			return fail("no PORT_OPEN from the host");
		uint32_t len = 0;
		int head = vring_wait(&crx, &len, OPEN_TICKS - spent);
		if (head < 0 || head >= 8)
			return fail("no PORT_OPEN from the host");
		volatile struct control *m = (volatile struct control *)(uintptr_t)(CRX_BUF + 64 * (unsigned)head);
		if (m->event == DEVICE_ADD) {
			send_control(m->id, PORT_READY, 1);
		} else if (m->event == PORT_NAME) {
			print("con port ");
			print_dec(m->id);
			print(" name ");
			volatile char *name = (volatile char *)(m + 1);
			for (uint32_t i = 0; i + sizeof(struct control) < len && i < 56; i++)
				print_char(name[i] >= 0x20 && name[i] < 0x7f ? name[i] : '?');
			print_char('\n');
		} else if (m->event == PORT_OPEN && m->id == 0) {
			open = m->value == 1;
		}
		vring_offer(&crx, (unsigned)head);
		notify(2);
	}
	print("con port 0 open\n");

	vring_desc_set(&rx, 0, RX_BUF, 64, VRING_DESC_F_WRITE, 0);
	vring_offer(&rx, 0);
	notify(0);

	const char *line = "hello from virtio-console\n";
	volatile char *out = (volatile char *)TX_BUF;
	unsigned n = 0;
	while (line[n]) {
		out[n] = line[n];
		n++;
	}
	vring_desc_set(&tx, 0, TX_BUF, n, 0, 0);
	vring_offer(&tx, 0);
	notify(1);
	if (vring_wait(&tx, 0, 5000 / TICK_MS) != 0)
		return fail("output not taken");

	uint32_t got = 0;
	if (vring_wait(&rx, &got, OPEN_TICKS) != 0)
		return fail("no input from the host");
	print("con got ");
	volatile char *in = (volatile char *)RX_BUF;
	for (uint32_t i = 0; i < got && i < 64 && in[i] != '\n'; i++)
		print_char(in[i] >= 0x20 && in[i] < 0x7f ? in[i] : '?');
	print_char('\n');

	tick_stop();
	print("con ok\n");
	return 0;
}
