/* The 16550 UART (8250 family) registers, for the guests that drive COM1 as a driver does. */
#ifndef JBHYVE_GUEST_UART_H
#define JBHYVE_GUEST_UART_H

#include "rt.h"

#define COM1_BASE 0x3f8
#define COM1_IRQ 4 /* ISA IRQ 4 = IOAPIC pin 4: edge-triggered, active high */

#define UART_RBR 0 /* read: receive buffer */
#define UART_THR 0 /* write: transmit holding register */
#define UART_DLL 0 /* with LCR.DLAB: divisor low byte */
#define UART_IER 1
#define UART_DLM 1 /* with LCR.DLAB: divisor high byte */
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6

#define IER_RDA 0x01  /* received data available (and character timeout) */
#define IER_THRE 0x02 /* transmit holding register empty */

#define IIR_NO_INT 0x01
#define IIR_ID_MASK 0x0e
#define IIR_MSR 0x00     /* modem status change */
#define IIR_THRE 0x02    /* THR empty */
#define IIR_RDA 0x04     /* received data available */
#define IIR_RLS 0x06     /* receiver line status */
#define IIR_TIMEOUT 0x0c /* character timeout (FIFO mode) */

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04

#define LCR_8N1 0x03
#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT2 0x08 /* gates the interrupt output onto the ISA IRQ line */

#define LSR_DR 0x01   /* data ready */
#define LSR_THRE 0x20 /* THR empty */

/*
 * Programs the UART at `base`: 8N1 with the given divisor (1 = 115200 baud),
 * FIFOs enabled and reset, DTR | RTS | OUT2, all interrupts disabled (IER = 0);
 * drains stale received bytes and status. The caller then writes IER.
 */
void uart_init(uint16_t base, uint16_t divisor);

/*
 * Polled output for a UART that is a real device: waits (bounded) for
 * LSR.THRE, i.e. an empty transmit FIFO, then writes up to 16 bytes (one
 * FIFO-full); repeats until the string is out. Needs the FIFOs enabled.
 */
#define UART_FIFO_SIZE 16
void uart_puts_polled(uint16_t base, const char *s);

#endif
