/*
 * Starting the AP (APIC ID 1) through INIT and STARTUP IPIs and the real-mode
 * trampoline in ap_trampoline.S; shared by the guests with two vCPUs (smp,
 * smptick). See smp.h.
 */
#include "rt.h"
#include "smp.h"

#define ICR_INIT 0x00004500    /* INIT, level assert, edge, physical */
#define ICR_STARTUP 0x00004600 /* STARTUP, level assert, edge, physical; | vector */
#define RESEND_SIPI_TICKS (200 / TICK_MS)  /* AP still in wait-for-SIPI after ~200 ms: resend */
#define AP_TIMEOUT_TICKS (5000 / TICK_MS)  /* ~5 s */

extern char ap_tramp_start[], ap_tramp_end[];
extern char ap_tramp_gdt[], ap_tramp_gdtr[], ap_tramp_stack[], ap_tramp_entry[], ap_tramp_cr3[],
	ap_tramp_stage[];
extern char __stacks_start[], __stack_size[];
void ap_entry64(void);

/* The trampoline's copy at TRAMPOLINE_BASE: address of the field `sym`. */
#define TRAMP_FIELD(sym) ((volatile void *)(uintptr_t)(TRAMPOLINE_BASE + ((sym) - ap_tramp_start)))

static volatile uint8_t *stage(void)
{
	return (volatile uint8_t *)TRAMP_FIELD(ap_tramp_stage);
}

uint8_t smp_ap_stage(void)
{
	return *stage();
}

void smp_setup_trampoline(void)
{
	size_t size = (size_t)(ap_tramp_end - ap_tramp_start);
	uintptr_t stack_size = (uintptr_t)__stack_size;
	uintptr_t stack_top = (uintptr_t)__stacks_start + (AP_APIC_ID + 1) * stack_size;

	memcpy((void *)(uintptr_t)TRAMPOLINE_BASE, ap_tramp_start, size);
	/* GDTR = { limit (already there), base }: the base is 2 bytes in. */
	*(volatile uint32_t *)((uintptr_t)TRAMP_FIELD(ap_tramp_gdtr) + 2) =
		(uint32_t)(uintptr_t)TRAMP_FIELD(ap_tramp_gdt);
	*(volatile uint32_t *)TRAMP_FIELD(ap_tramp_cr3) = (uint32_t)read_cr3();
	*(volatile uint64_t *)TRAMP_FIELD(ap_tramp_stack) = stack_top;
	*(volatile uint64_t *)TRAMP_FIELD(ap_tramp_entry) = (uint64_t)(uintptr_t)ap_entry64;
	*stage() = 0;
	barrier();
}

int smp_start_ap(volatile uint32_t *up)
{
	if (lapic_send_ipi(AP_APIC_ID, ICR_INIT) != 0)
		return -1;
	if (lapic_send_ipi(AP_APIC_ID, ICR_STARTUP | SIPI_VECTOR) != 0)
		return -1;

	uint64_t start = ticks;
	int resent = 0;
	while (!*up) {
		uint64_t waited = ticks - start;
		if (waited > AP_TIMEOUT_TICKS)
			return -1;
		if (!resent && waited > RESEND_SIPI_TICKS && *stage() == 0) {
			/* Harmless if the first one was merely slow: a running AP ignores it. */
			resent = 1;
			if (lapic_send_ipi(AP_APIC_ID, ICR_STARTUP | SIPI_VECTOR) != 0)
				return -1;
		}
		sti_hlt_cli(); /* woken by the ~10 ms tick at the latest */
	}
	return 0;
}
