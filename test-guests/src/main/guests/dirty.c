/*
 * dirty: keeps rewriting guest RAM, so that a live checkpoint (which copies RAM
 * while the guest runs) has pages changing under it, and checks on every pass
 * that each page still holds what it wrote on the pass before. A snapshot that
 * missed a page written during the copy restores into a guest whose next pass
 * finds the old value and says so.
 *
 * Pass n = 1, 2, ... walks DIRTY_PAGES pages from DIRTY_BASE. For each page it
 * checks that its first and last 64-bit words both hold n - 1 (0 on pass 1:
 * fresh RAM is zero), then stores n in both. Every 64th pass prints
 * "dirty pass <n>". A mismatch prints "dirty bad page <i> holds <first> <last>
 * expected <n-1>" and exits with status 1 (needs -l debug-exit).
 */
#include "rt.h"

#define DIRTY_BASE 0x1000000ul /* 16 MiB */
#define DIRTY_PAGES 1024ul      /* 4 MiB */
#define PAGE 4096ul

int main(void)
{
	print("dirty ready\n");
	for (uint64_t n = 1;; n++) {
		for (uint64_t i = 0; i < DIRTY_PAGES; i++) {
			volatile uint64_t *first = (volatile uint64_t *)(DIRTY_BASE + i * PAGE);
			volatile uint64_t *last = first + PAGE / 8 - 1;
			uint64_t a = *first, b = *last;
			if (a != n - 1 || b != n - 1) {
				print("dirty bad page ");
				print_dec(i);
				print(" holds ");
				print_dec(a);
				print(" ");
				print_dec(b);
				print(" expected ");
				print_dec(n - 1);
				print("\n");
				guest_exit(1);
			}
			*first = n;
			*last = n;
		}
		if (n % 64 == 0) {
			print("dirty pass ");
			print_dec(n);
			print("\n");
		}
	}
}
