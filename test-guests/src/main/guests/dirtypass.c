/* See dirtypass.h. */
#include "dirtypass.h"
#include "rt.h"

void dirty_pass(uint64_t base, uint64_t count, uint64_t first_number, uint64_t n)
{
	for (uint64_t i = 0; i < count; i++) {
		volatile uint64_t *first = (volatile uint64_t *)(base + i * DIRTY_PAGE_SIZE);
		volatile uint64_t *last = first + DIRTY_PAGE_SIZE / 8 - 1;
		uint64_t a = *first, b = *last;
		if (a != n - 1 || b != n - 1) {
			console_lock(); /* dirtysmp's other CPU may be printing */
			print("dirty bad page ");
			print_dec(first_number + i);
			print(" holds ");
			print_dec(a);
			print(" ");
			print_dec(b);
			print(" expected ");
			print_dec(n - 1);
			print("\n");
			console_unlock();
			guest_exit(1);
		}
		*first = n;
		*last = n;
	}
}
