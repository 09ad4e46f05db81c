/*
 * regs guest entry and exit. The entry saves RBX and R12 as the host set them
 * (into .data, which crt0 does not zero) before jumping into crt0; the exit
 * loads known values into R8, R9, R15 (and RBX, RCX, RDX) and writes status
 * 0 to port 0xf4, so the host can read them at that exit.
 */
	.section .data
	.balign 8
	.globl entry_rbx, entry_r12
entry_rbx:	.quad 0
entry_r12:	.quad 0

	.section .text.entry, "ax", @progbits
	.code64
	.globl regs_start
	.type regs_start, @function
regs_start:
	cli
	movq %rbx, entry_rbx(%rip)
	movq %r12, entry_r12(%rip)
	jmp _crt0_main
	.size regs_start, . - regs_start

	.text
	.globl regs_finish
	.type regs_finish, @function
regs_finish:
	movabsq $0x8888888888888888, %r8
	movl $0x9999, %r9d
	movl $0xf00d, %r15d
	movl $0x2222, %ebx
	movl $0x3333, %ecx
	movl $0x4444, %edx
	xorl %eax, %eax
	outb %al, $0xf4
1:	cli
	hlt
	jmp 1b
	.size regs_finish, . - regs_finish

	.section .note.GNU-stack, "", @progbits
