/*
 * regs: reports the RBX and R12 values the host put in at entry, then exits
 * through regs_finish (regs_entry.S) with known values in R8, R9 and R15.
 */
#include "rt.h"

extern uint64_t entry_rbx, entry_r12;
__attribute__((noreturn)) void regs_finish(void);

int main(void)
{
	print("rbx=");
	print_hex(entry_rbx);
	print(" r12=");
	print_hex(entry_r12);
	print_char('\n');
	regs_finish();
}
