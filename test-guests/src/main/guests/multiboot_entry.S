/*
 * Entry of the multiboot guest (32-bit code, see multiboot.ld).
 *
 * A Multiboot loader enters _start in 32-bit protected mode, paging off,
 * interrupts off, with EAX = 0x2BADB002 and EBX = the physical address of the
 * Multiboot information structure. CS and DS/ES/SS are flat 4 GiB segments,
 * but GDTR may point anywhere, so the guest loads its own GDT before it
 * reloads any segment register. ESP is undefined: the guest uses its own stack.
 */
#define MULTIBOOT_HEADER_MAGIC 0x1BADB002
/* bit 0: page-align modules; bit 1: provide memory information. No bit 16:
 * no a.out kludge, the loader takes the load addresses from the ELF headers. */
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
	movl %cr0, %edx          /* for mb_main: PE must be set, PG clear */

	lgdt mb_gdtr
	ljmp $0x08, $1f
1:	movl $0x10, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl $__stack_top, %esp

	movl $__bss_start, %edi  /* zero .bss (the loader does too) */
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx            /* both ends are 16-byte aligned */
	xorl %eax, %eax
	rep stosl

	pushl %edx               /* mb_main(magic, info, cr0) */
	pushl %ebp
	pushl %esi
	call mb_main
	outb %al, $0xf4          /* the exit status */
2:	cli
	hlt
	jmp 2b
	.size _start, . - _start

	.section .rodata.mb_gdt, "a", @progbits
	.balign 8
mb_gdt:
	.quad 0x0000000000000000 /* null */
	.quad 0x00cf9a000000ffff /* 0x08: 32-bit code, flat 4 GiB */
	.quad 0x00cf92000000ffff /* 0x10: data, flat 4 GiB */
mb_gdt_end:
	.balign 4
	.word 0                  /* pad: the GDTR base is 4-byte aligned */
mb_gdtr:
	.word mb_gdt_end - mb_gdt - 1
	.long mb_gdt

	.section .note.GNU-stack, "", @progbits
