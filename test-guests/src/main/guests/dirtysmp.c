/*
 * dirtysmp: dirty (see dirty.c) on two vCPUs at once, for the live-checkpoint
 * tests of an SMP guest. The BSP starts the AP (smpboot.c, with its LAPIC tick
 * running only for that), stops its tick, and then both CPUs rewrite guest RAM
 * with interrupts off, each its own half of the DIRTY_PAGES pages from
 * DIRTY_BASE: the BSP pages 0-511, the AP pages 512-1023. Each CPU counts its
 * own passes: pass n checks that the first and last 64-bit words of each of its
 * pages hold n - 1, then stores n in both. Every 64th pass the BSP prints
 * "dirty pass <n>" and the AP "ap pass <n>". A mismatch prints
 * "dirty bad page <i> holds <first> <last> expected <n-1>" and exits with
 * status 1 (needs -l debug-exit).
 */
#include "dirtypass.h"
#include "rt.h"
#include "smp.h"

#define DIRTY_BASE 0x1000000ul /* 16 MiB */
#define HALF_PAGES 512ul
#define PAGE DIRTY_PAGE_SIZE
#define TICK_VECTOR 0x31

static volatile uint32_t ap_up;

__attribute__((noreturn)) static void run(uint64_t first_page, const char *name)
{
	for (uint64_t n = 1;; n++) {
		dirty_pass(DIRTY_BASE + first_page * PAGE, HALF_PAGES, first_page, n);
		if (n % 64 == 0) {
			console_lock();
			print(name);
			print(" pass ");
			print_dec(n);
			print("\n");
			console_unlock();
		}
	}
}

void ap_main(void)
{
	ap_up = 1;
	run(HALF_PAGES, "ap");
}

int main(void)
{
	idt_init();
	lapic_enable();
	smp_setup_trampoline();
	tick_start(TICK_VECTOR);
	if (smp_start_ap(&ap_up) != 0) {
		print("ap did not start\n");
		return 1;
	}
	tick_stop();
	print("dirtysmp ready\n");
	run(0, "dirty");
}
