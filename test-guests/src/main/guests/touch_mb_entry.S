/*
 * Entry and interrupt stubs of touch-mb, the Multiboot build of the touch
 * guest (32-bit code, linked by multiboot.ld).
 *
 * A Multiboot loader enters _start in 32-bit protected mode, paging off,
 * interrupts off, EAX = 0x2BADB002, EBX = the information structure; GDTR,
 * IDTR and ESP may hold anything. The guest loads its own GDT (0x08 = 32-bit
 * code, 0x10 = data), its own stack, zeroes .bss and calls
 * touch_mb_main(magic, info), which never returns.
 */
#define MULTIBOOT_HEADER_MAGIC 0x1BADB002
/* bit 0: page-align modules; bit 1: memory information. No a.out kludge. */
#define MULTIBOOT_HEADER_FLAGS 0x00000003

	.section .multiboot, "a", @progbits
	.balign 4
	.globl multiboot_header
multiboot_header:
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_HEADER_FLAGS
	.long -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_HEADER_FLAGS)

	.section .text.entry, "ax", @progbits
	.code32
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	movl %eax, %esi          /* the loader's magic */
	movl %ebx, %ebp          /* the information structure */
	lgdt touch_gdtr
	ljmp $0x08, $1f
1:	movl $0x10, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl $__stack_top, %esp

	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx            /* both ends are 16-byte aligned */
	xorl %eax, %eax
	rep stosl

	pushl %ebp               /* touch_mb_main(magic, info) */
	pushl %esi
	call touch_mb_main
2:	cli
	hlt
	jmp 2b
	.size _start, . - _start

	/*
	 * 256 interrupt stubs, 16 bytes apart: push the vector, jump to the
	 * common part, which saves the caller-saved registers and calls
	 * touch_mb_interrupt(frame), frame pointing at the vector, then (for
	 * exceptions that push one) the error code, then EIP. Exceptions never
	 * return (touch_mb_interrupt reports them and stops), so only vectors
	 * without an error code come back here.
	 *
	 * They return with `ret $8` (pop EIP, drop CS and EFLAGS), not iret: on
	 * the nested KVM hosts jbhyve is tested on, a 32-bit iret ended the VM
	 * with "instruction emulation failed" (64-bit iretq is fine). This is
	 * equivalent here because interrupts are enabled only inside
	 * sti_hlt_cli() (touch.c): the interrupt always returns to the cli after
	 * the hlt, in the same code segment, and IF stays clear as the cli
	 * would leave it (the interrupt gate cleared it).
	 */
	.section .text.touch_isr, "ax", @progbits
	.globl touch_mb_stubs
	.balign 16
touch_mb_stubs:
	.set vec, 0
	.rept 256
	.org touch_mb_stubs + vec * 16, 0x90
	pushl $vec
	jmp touch_mb_common
	.set vec, vec + 1
	.endr
	.org touch_mb_stubs + 256 * 16, 0x90

touch_mb_common:
	pushl %eax
	pushl %ecx
	pushl %edx
	cld
	leal 12(%esp), %eax
	pushl %eax
	call touch_mb_interrupt
	addl $4, %esp
	popl %edx
	popl %ecx
	popl %eax
	addl $4, %esp            /* the vector */
	ret $8                   /* to EIP; CS and EFLAGS dropped (see above) */

	.section .rodata.touch_gdt, "a", @progbits
	.balign 8
touch_gdt:
	.quad 0x0000000000000000 /* null */
	.quad 0x00cf9a000000ffff /* 0x08: 32-bit code, flat 4 GiB */
	.quad 0x00cf92000000ffff /* 0x10: data, flat 4 GiB */
touch_gdt_end:
	.balign 4
	.word 0                  /* pad: the GDTR base is 4-byte aligned */
touch_gdtr:
	.word touch_gdt_end - touch_gdt - 1
	.long touch_gdt

	.section .note.GNU-stack, "", @progbits
