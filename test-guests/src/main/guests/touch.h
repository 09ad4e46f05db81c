/*
 * touch: the guest of ci/bench-snapshot. It writes one distinct non-zero
 * 32-bit value to every 4 KiB page of a RAM range that starts at 16 MiB, says
 * so on COM1, then prints a tick line from a 10 ms LAPIC timer, for ever, so
 * that a restored copy shows that it runs again within 10 ms of guest time.
 *
 * touch.c is the logic, written for both -m64 (guest `touch`, the 64-bit
 * runtime) and -m32 (guest `touch-mb`, a Multiboot kernel with its own small
 * platform in touch_mb.c and touch_mb_entry.S): it uses no 64-bit division.
 */
#ifndef JBHYVE_GUEST_TOUCH_H
#define JBHYVE_GUEST_TOUCH_H

#include <stdint.h>

#define TOUCH_BASE_MIB 16u     /* the range starts here: above the image, the loader's data and the ISA hole */
#define TOUCH_DEFAULT_MIB 256u /* without a touch=<MiB> argument */
#define TOUCH_MAX_MIB 3056u    /* 16 MiB + this = 3 GiB, the end of RAM below the PCI hole */
#define TOUCH_TICK_VECTOR 0x30
#define TOUCH_TICK_NS 10000000u /* 10 ms: KVM's LAPIC timer counts in ns with divide-by-1 */

/*
 * Touches `mib` MiB from 16 MiB, clamped to `ram_end_mib` (where the RAM that
 * starts below 16 MiB ends; 0 if unknown, then no clamp), prints the result
 * and ticks for ever. `source` says where `mib` came from ("cmdline",
 * "default"). Expects interrupts off, an IDT that sends vector
 * TOUCH_TICK_VECTOR to touch_tick(), the LAPIC enabled and LINT0 masked.
 */
__attribute__((noreturn)) void touch_run(uint32_t mib, uint32_t ram_end_mib, const char *source);

/* The timer interrupt: counts and EOIs. */
void touch_tick(void);

/* Provided by each platform: one byte to COM1 (port 0x3f8, no waiting). */
void touch_putc(char c);

/* Parses "touch=<decimal MiB>" anywhere in `cmdline` (space-separated words);
 * returns 0 if there is none or it is not a number in 1..TOUCH_MAX_MIB. */
uint32_t touch_parse_cmdline(const char *cmdline, uint32_t max_length);

#endif
