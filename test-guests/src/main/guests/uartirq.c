/*
 * uartirq: drives COM1 the way an interrupt-driven 16550 driver does. Output
 * is queued and written to the THR only in the interrupt handler, up to 16
 * bytes (one FIFO-full) each time the IIR reports "THR empty"; input arrives
 * through "received data available" interrupts. The interrupt comes in on
 * IOAPIC pin 4 (ISA IRQ 4: edge-triggered, active high) as vector 0x34. The
 * runtime's ~10 ms LAPIC tick bounds every wait.
 */
#include "uart.h"

#define UART_VECTOR 0x34
#define TICK_VECTOR 0x31
#define TX_FIFO_SIZE 16
#define TX_RING_SIZE 256 /* a power of two */
#define LINE_MAX 64      /* longer input lines are cut */
#define IIR_LOOPS 256    /* bound on one handler run; far above what the queue can need */
#define RX_TIMEOUT_TICKS (10000 / TICK_MS) /* ~10 s for the input line */
#define TX_TIMEOUT_TICKS (3000 / TICK_MS)  /* ~3 s for the queue to drain */

#define STATUS_FAILED 1

static char tx_ring[TX_RING_SIZE];
static volatile uint32_t tx_head, tx_tail; /* written by main / by the handler */
/* The last THRE interrupt found nothing to send: the next output must re-arm it. */
static volatile int tx_idle = 1;

static char line[LINE_MAX];
static volatile uint32_t line_len;
static volatile int line_done;

static volatile uint32_t rx_irqs, tx_irqs; /* IIR identifications handled, per kind */

/* THR empty (and so the TX FIFO): write up to a FIFO-full. */
static void tx_fill(void)
{
	int n = 0;
	while (n < TX_FIFO_SIZE && tx_tail != tx_head) {
		outb((uint8_t)tx_ring[tx_tail % TX_RING_SIZE], COM1_BASE + UART_THR);
		tx_tail++;
		n++;
	}
	tx_idle = n == 0;
}

static void rx_drain(void)
{
	while (inb(COM1_BASE + UART_LSR) & LSR_DR) {
		char c = (char)inb(COM1_BASE + UART_RBR);
		if (line_done || c == '\r')
			continue;
		if (c == '\n')
			line_done = 1;
		else if (line_len < LINE_MAX - 1)
			line[line_len++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
}

/*
 * Serves every pending cause until the IIR says none is left: the IRQ is
 * edge-triggered, so the line must go low again before the next cause can
 * make a new edge.
 */
static void uart_interrupt(struct isr_frame *f)
{
	(void)f;
	for (int i = 0; i < IIR_LOOPS; i++) {
		uint8_t iir = inb(COM1_BASE + UART_IIR);
		if (iir & IIR_NO_INT)
			break;
		switch (iir & IIR_ID_MASK) {
		case IIR_RLS:
			(void)inb(COM1_BASE + UART_LSR);
			break;
		case IIR_RDA:
		case IIR_TIMEOUT:
			rx_irqs++;
			rx_drain();
			break;
		case IIR_THRE: /* reading the IIR cleared it */
			tx_irqs++;
			tx_fill();
			break;
		default:
			(void)inb(COM1_BASE + UART_MSR);
			break;
		}
	}
	lapic_eoi();
}

/* Queues output (called with interrupts off, as all of main runs). */
static void send(const char *s)
{
	while (*s && tx_head - tx_tail < TX_RING_SIZE)
		tx_ring[tx_head++ % TX_RING_SIZE] = *s++;
	if (tx_idle) {
		/* A 16550 raises "THR empty" when IER.ETBEI goes from 0 to 1 while the
		 * THR is empty: toggle it to have the handler start transmitting. */
		tx_idle = 0;
		outb(IER_RDA, COM1_BASE + UART_IER);
		outb(IER_RDA | IER_THRE, COM1_BASE + UART_IER);
	}
}

static void send_dec(uint32_t v)
{
	char buf[11];
	int n = sizeof(buf) - 1;
	buf[n] = 0;
	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	send(buf + n);
}

/* Waits until everything queued has gone out; -1 on a timeout. */
static int drain(void)
{
	uint64_t start = ticks;
	while (!(tx_idle && tx_head == tx_tail)) {
		if (ticks - start > TX_TIMEOUT_TICKS)
			return -1;
		sti_hlt_cli();
	}
	return 0;
}

/* For when THRE interrupts never came: straight into the THR, polling LSR.THRE. */
static void say_polled(const char *s)
{
	uart_puts_polled(COM1_BASE, s);
}

static int finish(int status)
{
	outb(0, COM1_BASE + UART_IER);
	tick_stop();
	return status;
}

int main(void)
{
	idt_init();
	idt_set_handler(UART_VECTOR, uart_interrupt);
	lapic_enable();
	/* Only the IOAPIC may deliver: KVM also feeds ISA IRQs to the 8259 behind LINT0. */
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	tick_start(TICK_VECTOR);

	uart_init(COM1_BASE, 1); /* 115200 8N1, FIFOs on, DTR | RTS | OUT2 */
	ioapic_route(COM1_IRQ, UART_VECTOR, 0, IOAPIC_EDGE | IOAPIC_ACTIVE_HIGH);

	send("uart ready\n"); /* sets IER = RDA | THRE */

	uint64_t start = ticks;
	while (!line_done) {
		if (ticks - start > RX_TIMEOUT_TICKS) {
			if (tx_head != tx_tail) {
				/* THRE interrupts never came: say so without them. */
				say_polled("uart tx stuck\nuart timeout\n");
				return finish(STATUS_FAILED);
			}
			send("uart timeout\n");
			if (drain() != 0)
				say_polled("uart tx stuck\n");
			return finish(STATUS_FAILED);
		}
		sti_hlt_cli();
	}

	uint32_t rx = rx_irqs, tx = tx_irqs;
	line[line_len] = 0;
	send("got ");
	send(line);
	send("\nirqs rx=");
	send_dec(rx);
	send(" tx=");
	send_dec(tx);
	send("\n");
	if (drain() != 0) {
		say_polled("uart tx stuck\n");
		return finish(STATUS_FAILED);
	}
	return finish(rx > 0 && tx > 0 ? STATUS_OK : STATUS_FAILED);
}
