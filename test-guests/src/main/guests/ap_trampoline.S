/*
 * The AP startup trampoline: real mode -> 32-bit protected mode -> long mode.
 *
 * These bytes are not executed where they are linked: the BSP copies
 * [ap_tramp_start, ap_tramp_end) to TRAMPOLINE_BASE (0x8000) and sends a
 * STARTUP IPI with vector 0x08, so the AP starts in real mode at CS=0x0800,
 * IP=0. The code therefore never uses a link-time address of its own labels:
 * in real mode it addresses its data relative to DS=CS, and everywhere else
 * it uses TRAMPOLINE_BASE + (label - ap_tramp_start), a constant the
 * assembler computes. That is why this lives in .rodata: it is data for the
 * BSP, not code in the image.
 *
 * The BSP fills in, after copying: the GDTR base (linear address of the GDT
 * copy below), CR3 (the BSP's own), the AP's stack top and the 64-bit entry
 * point (ap_entry64 below, which calls the guest's ap_main). The GDT here has
 * the same layout as the one the host sets up at 0x500: 0x08 64-bit code, 0x10 data, 0x18 32-bit code.
 */
#include "smp.h"

#define T(label) (TRAMPOLINE_BASE + ((label) - ap_tramp_start))

	.section .rodata.ap_trampoline, "a", @progbits
	.balign 16

	.globl ap_tramp_start
ap_tramp_start:
	.code16
	cli
	cld
	movw %cs, %ax               /* CS = 0x0800, base 0x8000 */
	movw %ax, %ds
	movb $AP_STAGE_REAL, (ap_tramp_stage - ap_tramp_start)
	lgdtl (ap_tramp_gdtr - ap_tramp_start)
	movl %cr0, %eax
	andl $0x9fffffff, %eax      /* clear CD and NW (INIT sets them) */
	orl $0x00000001, %eax       /* PE */
	movl %eax, %cr0
	ljmpl $0x18, $T(prot32)     /* 32-bit code segment */

	.code32
prot32:
	movl $0x10, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movb $AP_STAGE_PROT32, T(ap_tramp_stage)
	movl %cr4, %eax
	orl $0x00000020, %eax       /* PAE */
	movl %eax, %cr4
	movl T(ap_tramp_cr3), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx      /* EFER */
	rdmsr
	orl $0x00000100, %eax       /* LME */
	wrmsr
	movl $0x80010033, %eax      /* PG | WP | NE | ET | MP | PE, as on the BSP */
	movl %eax, %cr0             /* long mode is active now (compatibility mode) */
	ljmpl $0x08, $T(long64)     /* 64-bit code segment */

	.code64
long64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movb $AP_STAGE_LONG64, T(ap_tramp_stage)
	movq T(ap_tramp_stack), %rsp
	movq T(ap_tramp_entry), %rax
	jmpq *%rax

	.balign 16
	.globl ap_tramp_gdt
ap_tramp_gdt:
	.quad 0x0000000000000000    /* null */
	.quad 0x00af9a000000ffff    /* 0x08: 64-bit code, L=1 */
	.quad 0x00cf92000000ffff    /* 0x10: data, flat 4 GiB */
	.quad 0x00cf9a000000ffff    /* 0x18: 32-bit code, flat 4 GiB */
ap_tramp_gdt_end:

	.balign 8
	.word 0, 0, 0               /* pad so that the GDTR base is 8-byte aligned */
	.globl ap_tramp_gdtr
ap_tramp_gdtr:
	.word ap_tramp_gdt_end - ap_tramp_gdt - 1
	.long 0                     /* base: filled in by the BSP */

	.balign 8
	.globl ap_tramp_stack, ap_tramp_entry, ap_tramp_cr3, ap_tramp_stage
ap_tramp_stack:	.quad 0             /* filled in by the BSP */
ap_tramp_entry:	.quad 0             /* filled in by the BSP */
ap_tramp_cr3:	.long 0             /* filled in by the BSP (below 4 GiB) */
ap_tramp_stage:	.byte 0             /* written by the AP as it goes */
	.balign 8
	.globl ap_tramp_end
ap_tramp_end:

	/* The 64-bit entry the trampoline jumps to, with RSP = this AP's stack top. */
	.text
	.globl ap_entry64
	.type ap_entry64, @function
ap_entry64:
	movb $AP_STAGE_MAIN, T(ap_tramp_stage)
	xorl %ebp, %ebp
	call ap_main
1:	cli
	hlt
	jmp 1b
	.size ap_entry64, . - ap_entry64

	.section .note.GNU-stack, "", @progbits
