/*
 * serial: prints a greeting, then executes hlt with interrupts off. Run
 * without an in-kernel irqchip, KVM returns that hlt to userspace as
 * KVM_EXIT_HLT; if the host resumes the vCPU, the guest prints "resumed"
 * and exits with status 0.
 */
#include "rt.h"

int main(void)
{
	print("Hello from the jbhyve serial guest\n");
	__asm__ volatile("cli\n\thlt" : : : "memory");
	print("resumed\n");
	return STATUS_OK;
}
