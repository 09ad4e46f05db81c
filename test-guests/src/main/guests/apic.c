/* Local APIC and I/O APIC helpers (xAPIC MMIO mode). */
#include "rt.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ull << 11)

#define IOAPIC_INDEX (IOAPIC_BASE + 0x00)
#define IOAPIC_DATA (IOAPIC_BASE + 0x10)
#define IOAPIC_REDTBL(pin) (0x10 + 2 * (pin))

/* KVM's LAPIC timer counts at 1 GHz (1 ns per count) with divide-by-1. */
#define LAPIC_TIMER_DIV_1 0xb
#define LAPIC_TIMER_PERIODIC (1u << 17)
#define TICK_COUNT (TICK_MS * 1000u * 1000u)

volatile uint64_t ticks;

void lapic_enable(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_write(LAPIC_SVR, 0x100 | LAPIC_SPURIOUS_VECTOR);
	lapic_write(LAPIC_TPR, 0);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

int lapic_send_ipi(uint8_t dest_apic_id, uint32_t icr_lo)
{
	lapic_write(LAPIC_ICR_HI, (uint32_t)dest_apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_lo);
	for (int i = 0; i < 100000; i++) {
		if (!(lapic_read(LAPIC_ICR_LO) & LAPIC_ICR_BUSY))
			return 0;
		cpu_pause();
	}
	return -1;
}

static void tick_handler(struct isr_frame *frame)
{
	(void)frame;
	ticks++;
	lapic_eoi();
}

void lapic_timer_periodic(uint8_t vector)
{
	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_1);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | vector);
	lapic_write(LAPIC_TIMER_INIT, TICK_COUNT);
}

void tick_start(uint8_t vector)
{
	idt_set_handler(vector, tick_handler);
	lapic_timer_periodic(vector);
}

void tick_stop(void)
{
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | lapic_read(LAPIC_LVT_TIMER));
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(IOAPIC_INDEX, reg);
	mmio_write32(IOAPIC_DATA, v);
}

void ioapic_route_edge(unsigned pin, uint8_t vector, uint8_t dest_apic_id)
{
	/* High dword first (destination), so the entry is never live half-written. */
	ioapic_write(IOAPIC_REDTBL(pin) + 1, (uint32_t)dest_apic_id << 24);
	/* Fixed (000), physical (bit 11 = 0), active high (bit 13 = 0),
	 * edge (bit 15 = 0), unmasked (bit 16 = 0). */
	ioapic_write(IOAPIC_REDTBL(pin), vector);
}

void ioapic_route(unsigned pin, uint8_t vector, uint8_t dest_apic_id, uint32_t flags)
{
	ioapic_write(IOAPIC_REDTBL(pin) + 1, (uint32_t)dest_apic_id << 24);
	/* Fixed delivery, physical destination, unmasked; trigger and polarity from flags. */
	ioapic_write(IOAPIC_REDTBL(pin), vector | (flags & (IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW)));
}
