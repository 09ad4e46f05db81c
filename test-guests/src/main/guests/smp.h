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

#endif
