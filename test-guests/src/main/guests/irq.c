/*
 * irq: eight edge-triggered interrupts on IOAPIC pin 10, each requested from
 * the host with a write of the sequence number to port 0x501 and awaited with
 * sti;hlt. A periodic LAPIC timer (vector 0x31, ~10 ms) wakes the hlt now and
 * then so that a host that never delivers gets a timeout message instead of a
 * guest halted forever.
 */
#include "rt.h"

#define IRQ_REQUEST_PORT 0x501
#define IRQ_PIN 10
#define IRQ_VECTOR 0x30
#define TICK_VECTOR 0x31
#define IRQ_COUNT 8
#define IRQ_TIMEOUT_TICKS (3000 / TICK_MS) /* ~3 s per interrupt */

#define STATUS_TIMEOUT 1
#define STATUS_WRONG_COUNT 3

static volatile uint32_t irq_count;

static void irq_handler(struct isr_frame *f)
{
	(void)f;
	irq_count++;
	lapic_eoi();
}

int main(void)
{
	idt_init();
	idt_set_handler(IRQ_VECTOR, irq_handler);

	lapic_enable();
	/*
	 * KVM resets the BSP's LINT0 to ExtINT, unmasked, and routes GSI 10 to the
	 * (uninitialised, vector base 0) 8259 too: mask LINT0 so only the IOAPIC
	 * delivers, with our vector.
	 */
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	ioapic_route_edge(IRQ_PIN, IRQ_VECTOR, 0);
	tick_start(TICK_VECTOR);

	for (uint32_t i = 0; i < IRQ_COUNT; i++) {
		outb((uint8_t)i, IRQ_REQUEST_PORT); /* "pulse IRQ line 10 now" */
		uint64_t start = ticks;
		while (irq_count <= i) {
			if (ticks - start > IRQ_TIMEOUT_TICKS) {
				tick_stop();
				print("timeout waiting for irq ");
				print_dec(i);
				print_char('\n');
				return STATUS_TIMEOUT;
			}
			sti_hlt_cli();
		}
	}
	tick_stop();

	uint32_t n = irq_count;
	print("irqs=");
	print_dec(n);
	print_char('\n');
	return n == IRQ_COUNT ? STATUS_OK : STATUS_WRONG_COUNT;
}
