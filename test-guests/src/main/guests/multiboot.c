/*
 * multiboot: a Multiboot (v1) kernel. Built as 32-bit code (gcc -m32) and
 * linked by multiboot.ld into an ELF32 i386 executable at 1 MiB; entered by
 * multiboot_entry.S in 32-bit protected mode without paging. Checks the
 * loader's magic and prints what the Multiboot information structure says.
 *
 * This is 32-bit code without libgcc: no 64-bit division or modulo anywhere
 * (decimal output is 32-bit only; 64-bit values are printed in hex, by shifts).
 * The runtime of the 64-bit guests is not linked in; rt.h is included only for
 * the port inlines and the protocol constants.
 */
#include "rt.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

/* The flags word of the information structure: which fields are valid. */
#define MBI_MEMORY (1u << 0)     /* mem_lower, mem_upper */
#define MBI_CMDLINE (1u << 2)    /* cmdline */
#define MBI_MMAP (1u << 6)       /* mmap_length, mmap_addr */
#define MBI_LOADER_NAME (1u << 9) /* boot_loader_name */

/* Offsets in the information structure (Multiboot 0.6.96, section 3.3). */
#define MBI_FLAGS 0
#define MBI_MEM_LOWER 4
#define MBI_MEM_UPPER 8
#define MBI_CMDLINE_ADDR 16
#define MBI_MMAP_LENGTH 44
#define MBI_MMAP_ADDR 48
#define MBI_LOADER_NAME_ADDR 64

#define MMAP_TYPE_AVAILABLE 1
#define MMAP_MAX_ENTRIES 256      /* a bound on a hostile or broken map */
#define MMAP_MAX_LENGTH 0x10000
#define STRING_MAX 256            /* longest cmdline / loader name printed */

#define CR0_PE (1u << 0)
#define CR0_PG (1u << 31)

#define STATUS_BAD_MAGIC 1
#define STATUS_BAD_INFO 3

typedef uint32_t u32_unaligned __attribute__((aligned(1), may_alias));
typedef uint64_t u64_unaligned __attribute__((aligned(1), may_alias));

static uint32_t peek32(uint32_t addr)
{
	return *(const volatile u32_unaligned *)(uintptr_t)addr;
}

static uint64_t peek64(uint32_t addr)
{
	return *(const volatile u64_unaligned *)(uintptr_t)addr;
}

static void mb_putc(char c)
{
	outb((uint8_t)c, SERIAL_PORT);
}

static void mb_puts(const char *s)
{
	while (*s)
		mb_putc(*s++);
}

static void put_hex(uint64_t v)
{
	char buf[16];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[(uint32_t)v & 0xf];
		v >>= 4;
	} while (v);
	while (n)
		mb_putc(buf[--n]);
}

static void put_dec(uint32_t v)
{
	char buf[10];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		mb_putc(buf[--n]);
}

/* A NUL-terminated string in guest memory, at most STRING_MAX characters;
 * control characters become '?' so they cannot break the line protocol. */
static void put_guest_string(uint32_t addr)
{
	for (uint32_t i = 0; i < STRING_MAX; i++) {
		char c = *(const volatile char *)(uintptr_t)(addr + i);
		if (c == 0)
			return;
		mb_putc(c >= 0x20 && c < 0x7f ? c : '?');
	}
}

static int bad_info(const char *what)
{
	mb_puts("bad multiboot info: ");
	mb_puts(what);
	mb_putc('\n');
	return STATUS_BAD_INFO;
}

int mb_main(uint32_t magic, uint32_t info, uint32_t cr0);

int mb_main(uint32_t magic, uint32_t info, uint32_t cr0)
{
	mb_puts("multiboot magic=");
	put_hex(magic);
	mb_putc('\n');
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		return STATUS_BAD_MAGIC; /* EBX is not to be trusted either */
	if ((cr0 & (CR0_PE | CR0_PG)) != CR0_PE) {
		mb_puts("bad entry state: cr0=");
		put_hex(cr0);
		mb_putc('\n');
		return STATUS_BAD_INFO;
	}

	uint32_t flags = peek32(info + MBI_FLAGS);
	if (!(flags & MBI_MEMORY)) /* the header asks for it: a loader must provide it */
		return bad_info("no mem_lower/mem_upper");
	mb_puts("mem_lower=");
	put_dec(peek32(info + MBI_MEM_LOWER));
	mb_puts(" mem_upper=");
	put_dec(peek32(info + MBI_MEM_UPPER));
	mb_putc('\n');

	if (flags & MBI_CMDLINE) {
		mb_puts("cmdline=");
		put_guest_string(peek32(info + MBI_CMDLINE_ADDR));
		mb_putc('\n');
	}

	if (flags & MBI_MMAP) {
		uint32_t length = peek32(info + MBI_MMAP_LENGTH);
		uint32_t addr = peek32(info + MBI_MMAP_ADDR);
		if (length > MMAP_MAX_LENGTH || addr > 0xffffffffu - length)
			return bad_info("mmap out of range");
		uint32_t end = addr + length, entries = 0;
		uint64_t ram = 0;
		/* Each entry: size (of the rest), base_addr, length, type; next at +size+4. */
		while (addr < end) {
			if (end - addr < 24 || entries == MMAP_MAX_ENTRIES)
				return bad_info("malformed mmap");
			uint32_t size = peek32(addr);
			if (size < 20 || size > end - addr - 4)
				return bad_info("malformed mmap");
			if (peek32(addr + 20) == MMAP_TYPE_AVAILABLE)
				ram += peek64(addr + 12);
			entries++;
			addr += size + 4;
		}
		mb_puts("mmap entries=");
		put_dec(entries);
		mb_puts(" ram=");
		put_hex(ram);
		mb_putc('\n');
	}

	if (flags & MBI_LOADER_NAME) {
		mb_puts("bootloader=");
		put_guest_string(peek32(info + MBI_LOADER_NAME_ADDR));
		mb_putc('\n');
	}
	return STATUS_OK;
}
