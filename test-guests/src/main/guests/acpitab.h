/*
 * Finding and checking ACPI tables (and reading firmware memory) without
 * trusting them: shared by the acpi and demo guests. Every address followed
 * must be below 4 GiB (the boot identity map ends there) and every length
 * below 1 MiB, so a bad pointer cannot fault the guest.
 */
#ifndef JBHYVE_GUEST_ACPITAB_H
#define JBHYVE_GUEST_ACPITAB_H

#include "rt.h"

#define ACPI_ADDR_LIMIT 0x100000000ULL /* follow only addresses below this */
#define ACPI_LEN_LIMIT 0x100000u       /* and lengths below this */

#define ACPI_RSDP_SCAN_START 0xe0000u
#define ACPI_RSDP_SCAN_END 0x100000u
#define ACPI_SDT_HEADER_LEN 36

/* Unaligned little-endian reads of guest-physical memory (identity-mapped). */
typedef uint16_t acpi_u16u __attribute__((aligned(1), may_alias));
typedef uint32_t acpi_u32u __attribute__((aligned(1), may_alias));
typedef uint64_t acpi_u64u __attribute__((aligned(1), may_alias));

static inline uint8_t peek8(uint64_t a)
{
	return *(const volatile uint8_t *)(uintptr_t)a;
}

static inline uint16_t peek16(uint64_t a)
{
	return *(const volatile acpi_u16u *)(uintptr_t)a;
}

static inline uint32_t peek32(uint64_t a)
{
	return *(const volatile acpi_u32u *)(uintptr_t)a;
}

static inline uint64_t peek64(uint64_t a)
{
	return *(const volatile acpi_u64u *)(uintptr_t)a;
}

/* Nonzero if [addr, addr + len) may be read: addr != 0, len < 1 MiB, end <= 4 GiB. */
int acpi_range_ok(uint64_t addr, uint64_t len);
/* The byte sum of [addr, addr + len), mod 256 (0 means the checksum is right). */
uint8_t acpi_sum(uint64_t addr, uint32_t len);
/* Nonzero if the 4 bytes at addr equal sig. */
int acpi_sig_is(uint64_t addr, const char *sig);

/* What acpi_rsdp_check says about a "RSD PTR " candidate. */
#define RSDP_OK 0
#define RSDP_BAD_CHECKSUM 1  /* the first 20 bytes do not sum to 0 */
#define RSDP_BAD_EXTENDED 2  /* rev >= 2: bad length or extended checksum */
int acpi_rsdp_check(uint64_t addr);
/* The next 16-byte-aligned "RSD PTR " signature in [from, 0x100000), or 0. */
uint64_t acpi_rsdp_scan(uint64_t from);
/* The first RSDP in 0xe0000..0xfffff whose checksums are right, or 0. */
uint64_t acpi_find_rsdp(void);

/* What acpi_table_check says about the table header at an address. */
#define TABLE_OK 0
#define TABLE_OUT_OF_RANGE 1 /* the header is not in range (nothing was read) */
#define TABLE_BAD_LENGTH 2   /* length < 36, >= 1 MiB or beyond 4 GiB */
#define TABLE_BAD_CHECKSUM 3
int acpi_table_check(uint64_t addr);

/*
 * The root table of an RSDP (XSDT if rev >= 2 and its address is nonzero,
 * else RSDT) and the size of its entries (8 or 4). Returns 0 if none.
 */
uint64_t acpi_root_table(uint64_t rsdp, unsigned *entry_size);
/* Entry i of a root table (entry_size 4 or 8). */
uint64_t acpi_root_entry(uint64_t root, unsigned entry_size, uint32_t i);
/* Number of entries of a root table whose header is valid. */
uint32_t acpi_root_count(uint64_t root, unsigned entry_size);
/* The first table listed in the root table of rsdp with signature sig and a
 * correct checksum, or 0. */
uint64_t acpi_find_table(uint64_t rsdp, const char *sig);

/* ---- FADT fields (ACPI 6.x, table 5.9) ---- */
#define FADT_DSDT 40          /* u32 */
#define FADT_SCI_INT 46       /* u16 */
#define FADT_SMI_CMD 48       /* u32 */
#define FADT_ACPI_ENABLE 52   /* u8 */
#define FADT_PM1A_EVT_BLK 56  /* u32 */
#define FADT_PM1A_CNT_BLK 64  /* u32 */
#define FADT_PM_TMR_BLK 76    /* u32 */
#define FADT_PM1_EVT_LEN 88   /* u8 */
#define FADT_FLAGS 112        /* u32 */
#define FADT_X_DSDT 140       /* u64, if the FADT is at least 148 bytes long */
#define FADT_X_PM1A_CNT 172   /* GAS; its address is at +4 */

/* ---- MADT ---- */
#define MADT_ENTRIES 44
#define MADT_LAPIC 0            /* processor local APIC; flags at +4, bit 0 enabled */
#define MADT_IOAPIC 1
#define MADT_ISO 2              /* interrupt source override */

#endif
