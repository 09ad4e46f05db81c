/* 16550 setup and polled output (see uart.h). */
#include "uart.h"

#define DRAIN_MAX 64      /* stale bytes read at most (a 16-byte FIFO and some) */
#define THRE_POLLS 100000 /* ~1 s of LSR reads on nested KVM */

void uart_init(uint16_t base, uint16_t divisor)
{
	outb(0, base + UART_IER);
	outb(LCR_DLAB, base + UART_LCR);
	outb((uint8_t)divisor, base + UART_DLL);
	outb((uint8_t)(divisor >> 8), base + UART_DLM);
	outb(LCR_8N1, base + UART_LCR); /* DLAB off again */
	outb(FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX, base + UART_FCR);
	outb(MCR_DTR | MCR_RTS | MCR_OUT2, base + UART_MCR);
	for (int i = 0; i < DRAIN_MAX && (inb(base + UART_LSR) & LSR_DR); i++)
		(void)inb(base + UART_RBR);
	(void)inb(base + UART_IIR);
	(void)inb(base + UART_MSR);
}

void uart_puts_polled(uint16_t base, const char *s)
{
	while (*s) {
		for (int i = 0; i < THRE_POLLS && !(inb(base + UART_LSR) & LSR_THRE); i++)
			cpu_pause();
		for (int n = 0; n < UART_FIFO_SIZE && *s; n++)
			outb((uint8_t)*s++, base + UART_THR);
	}
}
