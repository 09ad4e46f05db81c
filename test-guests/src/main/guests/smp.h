/* Shared between smp.c and ap_trampoline.S (which is run through cpp). */
#ifndef JBHYVE_GUEST_SMP_H
#define JBHYVE_GUEST_SMP_H

/* Where the BSP copies the AP trampoline; the STARTUP IPI vector is its page number. */
#define TRAMPOLINE_BASE 0x8000
#define SIPI_VECTOR (TRAMPOLINE_BASE >> 12)

/* How far the AP got (ap_tramp_stage), for the BSP's timeout message. */
#define AP_STAGE_REAL 1   /* executing the trampoline in real mode */
#define AP_STAGE_PROT32 2 /* in 32-bit protected mode */
#define AP_STAGE_LONG64 3 /* in 64-bit mode, about to jump to ap_entry64 */
#define AP_STAGE_MAIN 4   /* in ap_main */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The AP a two-vCPU guest starts (vCPU 1). */
#define AP_APIC_ID 1

/*
 * Starting that AP (smpboot.c): smp_setup_trampoline() copies the trampoline
 * to TRAMPOLINE_BASE and fills in its fields; smp_start_ap() sends INIT and
 * STARTUP (STARTUP again if the AP has not begun the trampoline after ~200 ms)
 * and waits until *up is nonzero, at most ~5 s of the BSP's ticks (its tick
 * must be running). Returns 0, or -1 if the AP did not come up. The AP enters
 * the guest's own ap_main() on its own stack, with interrupts disabled.
 */
void smp_setup_trampoline(void);
int smp_start_ap(volatile uint32_t *up);
/* How far the AP got (AP_STAGE_*), for a message when it did not come up. */
uint8_t smp_ap_stage(void);
void ap_main(void);
#endif

#endif
