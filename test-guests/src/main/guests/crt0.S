/*
 * crt0: the common entry point of the test guests.
 *
 * Entered by the host in 64-bit long mode (see the boot contract in
 * README.md) with interrupts off. Switches to the boot CPU's own stack,
 * zeroes .bss (the loader does too; this is belt and braces), calls
 * main() and reports main's return value as the exit status.
 */
	.section .text.entry, "ax", @progbits
	.code64

	.globl _start
	.type _start, @function
_start:
	cli

	/* Guests with a special entry (regs) save what they need and jump here. */
	.globl _crt0_main
	.type _crt0_main, @function
_crt0_main:
	cld
	movq $__boot_stack_top, %rsp
	xorl %ebp, %ebp

	movq $__bss_start, %rdi
	movq $__bss_end, %rcx
	subq %rdi, %rcx
	shrq $3, %rcx            /* both ends are 16-byte aligned */
	xorl %eax, %eax
	rep stosq

	call main
	movzbl %al, %edi
	call guest_exit
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
