/*
 * Interrupt entry stubs: 256 of them, 16 bytes apart, so the stub for vector
 * v is at isr_stubs + 16 * v. Each pushes a dummy error code if the CPU did
 * not push one, then the vector number, and jumps to isr_common, which saves
 * the caller-saved registers and calls isr_dispatch(struct isr_frame *).
 */
	.section .text.isr, "ax", @progbits
	.code64

	.globl isr_stubs
	.balign 16
isr_stubs:
	.set vec, 0
	.rept 256
	/* Errors out ("attempt to move .org backwards") if a stub outgrows 16 bytes. */
	.org isr_stubs + vec * 16, 0x90
	/* Exceptions that push an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX */
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr
	.org isr_stubs + 256 * 16, 0x90

	/*
	 * On entry the CPU has aligned the stack to 16 bytes and pushed 5 or 6
	 * quadwords; with the stub's pushes there are 7, and with the 9 saved
	 * registers 16 quadwords, so RSP is 16-byte aligned for the call.
	 */
isr_common:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	cld
	movq %rsp, %rdi
	call isr_dispatch
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	addq $16, %rsp           /* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits
