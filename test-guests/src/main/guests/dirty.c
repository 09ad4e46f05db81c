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
 *
 * With RAM above 4 GiB (bhyve's CMOS bytes 0x5b-0x5d count it in 64 KiB
 * blocks), each pass also walks HIGH_PAGES pages from HIGH_BASE, 16 MiB into
 * highmem, the same way; their numbers in the message start at DIRTY_PAGES.
 * The loader's page tables map only the low 4 GiB, so the guest first maps
 * 4-5 GiB itself (one more page directory of 2 MiB pages) and prints
 * "dirty highmem" once it has.
 */
#include "dirtypass.h"
#include "rt.h"

#define DIRTY_BASE 0x1000000ul /* 16 MiB */
#define DIRTY_PAGES 1024ul      /* 4 MiB */
#define HIGH_BASE 0x101000000ul /* 4 GiB + 16 MiB */
#define HIGH_PAGES 256ul        /* 1 MiB */
#define PAGE DIRTY_PAGE_SIZE

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define NVRAM_HIGHMEM_LO 0x5b /* 0x5b-0x5d: RAM above 4 GiB, 64 KiB blocks */

#define PTE_P 0x1ul
#define PTE_RW 0x2ul
#define PTE_PS 0x80ul /* a 2 MiB page, in a page directory */

/* Maps GPA 4-5 GiB: entry 4 of the loader's PDPT (0-3 map the low 4 GiB). */
static uint64_t high_directory[512] __attribute__((aligned(4096)));

static uint8_t cmos_read(uint8_t reg)
{
	outb(reg, CMOS_INDEX);
	return inb(CMOS_DATA);
}

/* Bytes of RAM above 4 GiB, from CMOS; 0 when there is none. */
static uint64_t highmem_bytes(void)
{
	uint64_t blocks = cmos_read(NVRAM_HIGHMEM_LO) | (uint64_t)cmos_read(NVRAM_HIGHMEM_LO + 1) << 8 |
			  (uint64_t)cmos_read(NVRAM_HIGHMEM_LO + 2) << 16;
	return blocks == 0xffffff ? 0 : blocks << 16; /* all ones: no such NVRAM */
}

static void map_4g_to_5g(void)
{
	uint64_t *pml4 = (uint64_t *)(read_cr3() & ~0xffful);
	uint64_t *pdpt = (uint64_t *)(pml4[0] & ~0xffful);
	for (uint64_t i = 0; i < 512; i++)
		high_directory[i] = (0x100000000ul + i * 0x200000ul) | PTE_PS | PTE_RW | PTE_P;
	pdpt[4] = (uint64_t)high_directory | PTE_RW | PTE_P;
	__asm__ volatile("mov %0, %%cr3" : : "r"(read_cr3()) : "memory"); /* flush the TLB */
}

int main(void)
{
	int high = highmem_bytes() >= HIGH_BASE - 0x100000000ul + HIGH_PAGES * PAGE;
	if (high) {
		map_4g_to_5g();
		print("dirty highmem\n");
	}
	print("dirty ready\n");
	for (uint64_t n = 1;; n++) {
		dirty_pass(DIRTY_BASE, DIRTY_PAGES, 0, n);
		if (high)
			dirty_pass(HIGH_BASE, HIGH_PAGES, DIRTY_PAGES, n);
		if (n % 64 == 0) {
			print("dirty pass ");
			print_dec(n);
			print("\n");
		}
	}
}
