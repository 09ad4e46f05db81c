/*
 * acpi: finds and verifies the firmware tables a bhyve guest gets: the ACPI
 * RSDP, its XSDT (or RSDT), every table listed there, the DSDT (through the
 * FADT), the MADT's CPUs and I/O APICs, the FADT's PM1a control block and
 * SCI, the MP table, and the SMBIOS tables (entry point, every structure, the
 * BIOS and system strings and the system UUID). Every address followed is
 * bounds-checked (acpitab.h):
 * a bad pointer is reported, never dereferenced beyond 4 GiB.
 */
#include "acpitab.h"

#define MP_SCAN_START 0xf0000u
#define MP_SCAN_END 0x100000u
#define MP_CONFIG_HEADER_LEN 44
#define MAX_TABLES 64 /* root table entries looked at */

#define STATUS_FAILED 1

static int failed;

static void fail(const char *what)
{
	print(what);
	print_char('\n');
	failed = 1;
}

static void print_sig(uint64_t addr)
{
	for (int i = 0; i < 4; i++) {
		uint8_t c = peek8(addr + i);
		print_char(c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
}

/*
 * Prints "table <SIG> at <addr> len <len> ok|bad-checksum" (or why the table
 * cannot be read) and returns nonzero if the table is good.
 */
static int check_table(uint64_t addr)
{
	int r = acpi_table_check(addr);
	if (r == TABLE_OUT_OF_RANGE) {
		print("table at ");
		print_hex(addr);
		fail(" out of range");
		return 0;
	}
	print("table ");
	print_sig(addr);
	print(" at ");
	print_hex(addr);
	print(" len ");
	print_dec(peek32(addr + 4));
	if (r == TABLE_BAD_LENGTH) {
		fail(" bad-length");
		return 0;
	}
	if (r == TABLE_BAD_CHECKSUM) {
		fail(" bad-checksum");
		return 0;
	}
	print(" ok\n");
	return 1;
}

/* Prints every "RSD PTR " candidate up to the first good one; returns it or 0. */
static uint64_t find_rsdp(void)
{
	for (uint64_t a = acpi_rsdp_scan(ACPI_RSDP_SCAN_START); a != 0; a = acpi_rsdp_scan(a + 16)) {
		int r = acpi_rsdp_check(a);
		print("rsdp at ");
		print_hex(a);
		print(" rev ");
		print_dec(peek8(a + 15));
		if (r == RSDP_OK) {
			print(" ok\n");
			return a;
		}
		fail(r == RSDP_BAD_CHECKSUM ? " bad-checksum" : " bad-extended-checksum");
	}
	fail("rsdp not found");
	return 0;
}

static void check_madt(uint64_t madt)
{
	uint64_t end = madt + peek32(madt + 4);
	uint32_t cpus = 0, ioapics = 0;
	for (uint64_t e = madt + MADT_ENTRIES; e < end;) {
		uint8_t type = peek8(e), len = end - e >= 2 ? peek8(e + 1) : 0;
		if (len < 2 || len > end - e) {
			fail("madt malformed entry");
			break;
		}
		if (type == MADT_LAPIC && len >= 8 && (peek32(e + 4) & 1))
			cpus++;
		else if (type == MADT_IOAPIC)
			ioapics++;
		e += len;
	}
	print("madt cpus=");
	print_dec(cpus);
	print("\nmadt ioapics=");
	print_dec(ioapics);
	print_char('\n');
	if (cpus == 0)
		fail("madt has no enabled cpu");
	if (ioapics == 0)
		fail("madt has no ioapic");
}

/* Follows the FADT to the DSDT (X_DSDT if set, else DSDT) and checks it. */
static void check_dsdt(uint64_t fadt)
{
	uint32_t len = peek32(fadt + 4);
	uint64_t dsdt = 0;
	if (len >= FADT_X_DSDT + 8)
		dsdt = peek64(fadt + FADT_X_DSDT);
	if (dsdt == 0 && len >= FADT_DSDT + 4)
		dsdt = peek32(fadt + FADT_DSDT);
	if (dsdt == 0) {
		fail("fadt has no dsdt");
		return;
	}
	if (check_table(dsdt) && !acpi_sig_is(dsdt, "DSDT"))
		fail("dsdt signature wrong");
}

/* Prints the PM1a control port (PM1a_CNT_BLK, else X_PM1a_CNT_BLK) and the SCI. */
static void check_fadt(uint64_t fadt)
{
	uint32_t len = peek32(fadt + 4);
	if (len < FADT_PM_TMR_BLK) {
		fail("fadt too short");
		return;
	}
	uint64_t pm1a_cnt = peek32(fadt + FADT_PM1A_CNT_BLK);
	if (pm1a_cnt == 0 && len >= FADT_X_PM1A_CNT + 12)
		pm1a_cnt = peek64(fadt + FADT_X_PM1A_CNT + 4);
	print("fadt pm1a_cnt=");
	print_hex(pm1a_cnt);
	print(" sci=");
	print_dec(peek16(fadt + FADT_SCI_INT));
	print_char('\n');
	if (pm1a_cnt == 0)
		fail("fadt has no pm1a_cnt");
}

/* The MP floating pointer and its configuration table (MP spec 1.4, chapter 4). */
static void check_mptable(void)
{
	uint64_t fp = 0;
	for (uint64_t a = MP_SCAN_START; a < MP_SCAN_END; a += 16) {
		if (peek32(a) != 0x5f504d5fu) /* "_MP_" */
			continue;
		uint8_t paras = peek8(a + 8); /* length in 16-byte units */
		if (paras != 0 && a + paras * 16u <= MP_SCAN_END && acpi_sum(a, paras * 16u) == 0) {
			fp = a;
			break;
		}
		print("mptable floating pointer at ");
		print_hex(a);
		fail(" bad-checksum");
	}
	if (fp == 0) {
		fail("mptable not found");
		return;
	}
	uint64_t cfg = peek32(fp + 4);
	if (cfg == 0 || peek8(fp + 11) != 0) {
		fail("mptable has no config table (default configuration)");
		return;
	}
	if (!acpi_range_ok(cfg, MP_CONFIG_HEADER_LEN) || peek32(cfg) != 0x504d4350u) { /* "PCMP" */
		print("mptable config table at ");
		print_hex(cfg);
		fail(" missing");
		return;
	}
	uint32_t base_len = peek16(cfg + 4), ext_len = peek16(cfg + 40);
	if (base_len < MP_CONFIG_HEADER_LEN || !acpi_range_ok(cfg, (uint64_t)base_len + ext_len)) {
		fail("mptable config table bad-length");
		return;
	}
	if (acpi_sum(cfg, base_len) != 0) {
		fail("mptable config table bad-checksum");
		return;
	}
	if (ext_len != 0 && (uint8_t)(acpi_sum(cfg + base_len, ext_len) + peek8(cfg + 42)) != 0) {
		fail("mptable extended table bad-checksum");
		return;
	}
	/* Entries: processor (type 0) 20 bytes, CPU flags at +3 bit 0 = enabled;
	 * bus, I/O APIC, I/O and local interrupt assignment (1..4) 8 bytes each. */
	uint32_t count = peek16(cfg + 34), cpus = 0;
	uint64_t e = cfg + MP_CONFIG_HEADER_LEN, end = cfg + base_len;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t type = e < end ? peek8(e) : 0xff;
		uint32_t len = type == 0 ? 20 : type <= 4 ? 8 : 0;
		if (len == 0 || len > end - e) {
			fail("mptable malformed entry");
			return;
		}
		if (type == 0 && (peek8(e + 3) & 1))
			cpus++;
		e += len;
	}
	print("mptable ok cpus=");
	print_dec(cpus);
	print_char('\n');
	if (cpus == 0)
		fail("mptable has no enabled cpu");
}

#define SMBIOS_SCAN_START 0xf0000u
#define SMBIOS_SCAN_END 0x100000u
#define SMBIOS_EP_LEN 0x1f
#define SMBIOS_MAX_STRUCTURES 512

/* Prints string `n` (1-based) of the structure whose string set starts at `strings` and ends before `end`. */
static void print_smbios_string(uint64_t strings, uint64_t end, uint8_t n)
{
	if (n == 0)
		return; /* no string */
	uint64_t a = strings;
	for (uint8_t i = 1; i < n && a < end; i++) {
		while (a < end && peek8(a) != 0)
			a++;
		a++;
	}
	for (; a < end && peek8(a) != 0; a++) {
		uint8_t c = peek8(a);
		print_char(c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
}

/* The UUID of a type 1 structure, as SMBIOS 2.6+ stores it (first three fields little-endian). */
static void print_smbios_uuid(uint64_t u)
{
	static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			print_char('-');
		print_hex_pad(peek8(u + order[i]), 2);
	}
}

/* Checks the entry point's two checksums, walks the structure table and prints what it holds. */
static void check_smbios(void)
{
	uint64_t ep = 0;
	for (uint64_t a = SMBIOS_SCAN_START; a < SMBIOS_SCAN_END; a += 16) {
		if (peek32(a) != 0x5f4d535fu) /* "_SM_" */
			continue;
		if (peek8(a + 5) == SMBIOS_EP_LEN && acpi_sum(a, SMBIOS_EP_LEN) == 0 &&
		    peek32(a + 0x10) == 0x494d445fu && peek8(a + 0x14) == '_' && /* "_DMI_" */
		    acpi_sum(a + 0x10, SMBIOS_EP_LEN - 0x10) == 0) {
			ep = a;
			break;
		}
		print("smbios entry point at ");
		print_hex(a);
		fail(" bad-checksum");
	}
	if (ep == 0) {
		fail("smbios not found");
		return;
	}
	uint32_t len = peek16(ep + 0x16), count = peek16(ep + 0x1c), max = peek16(ep + 8);
	uint64_t table = peek32(ep + 0x18);
	print("smbios ");
	print_dec(peek8(ep + 6));
	print_char('.');
	print_dec(peek8(ep + 7));
	print(" at ");
	print_hex(ep);
	print(" structures=");
	print_dec(count);
	print_char('\n');
	if (!acpi_range_ok(table, len)) {
		fail("smbios table out of range");
		return;
	}
	uint64_t a = table, end = table + len;
	uint32_t seen = 0, largest = 0;
	int ended = 0;
	print("smbios types");
	while (a < end && !ended && seen < SMBIOS_MAX_STRUCTURES) {
		uint8_t type = peek8(a), flen = end - a >= 4 ? peek8(a + 1) : 0;
		if (flen < 4 || flen > end - a) {
			fail(" malformed structure");
			return;
		}
		uint64_t strings = a + flen, s = strings;
		while (s + 1 < end && !(peek8(s) == 0 && peek8(s + 1) == 0))
			s++;
		if (s + 1 >= end) {
			fail(" unterminated strings");
			return;
		}
		if (peek16(a + 2) != seen) {
			fail(" handle out of order");
			return;
		}
		print_char(' ');
		print_dec(type);
		uint64_t next = s + 2;
		if (next - a > largest)
			largest = next - a;
		if (type == 0 && flen >= 0x09) {
			print(" [bios ");
			print_smbios_string(strings, s + 1, peek8(a + 4));
			print_char('|');
			print_smbios_string(strings, s + 1, peek8(a + 5));
			print_char('|');
			print_smbios_string(strings, s + 1, peek8(a + 8));
			print_char(']');
		} else if (type == 1 && flen >= 0x1b) {
			print(" [system ");
			for (int i = 4; i <= 7; i++) {
				print_smbios_string(strings, s + 1, peek8(a + i));
				print_char('|');
			}
			print_smbios_string(strings, s + 1, peek8(a + 0x19));
			print_char('|');
			print_smbios_string(strings, s + 1, peek8(a + 0x1a));
			print(" uuid ");
			print_smbios_uuid(a + 8);
			print_char(']');
		}
		ended = type == 127;
		seen++;
		a = next;
	}
	print_char('\n');
	if (!ended)
		fail("smbios has no end-of-table structure");
	else if (a != end)
		fail("smbios table length does not match its structures");
	else if (seen != count)
		fail("smbios structure count does not match");
	else if (largest != max)
		fail("smbios maximum structure size does not match");
	else
		print("smbios ok\n");
}

int main(void)
{
	idt_init(); /* a fault is reported, not a triple fault */

	uint64_t rsdp = find_rsdp();
	if (rsdp != 0) {
		unsigned size;
		uint64_t root = acpi_root_table(rsdp, &size);
		uint64_t madt = 0, fadt = 0;
		if (check_table(root)) {
			uint32_t n = acpi_root_count(root, size);
			if (n > MAX_TABLES) {
				fail("too many tables");
				n = MAX_TABLES;
			}
			for (uint32_t i = 0; i < n; i++) {
				uint64_t t = acpi_root_entry(root, size, i);
				if (!check_table(t))
					continue;
				if (madt == 0 && acpi_sig_is(t, "APIC"))
					madt = t;
				else if (fadt == 0 && acpi_sig_is(t, "FACP"))
					fadt = t;
			}
			if (fadt != 0)
				check_dsdt(fadt);
			if (madt != 0)
				check_madt(madt);
			else
				fail("madt missing");
			if (fadt != 0)
				check_fadt(fadt);
			else
				fail("fadt missing");
		}
	}
	check_mptable();
	check_smbios();

	if (failed) {
		print("acpi failed\n");
		return STATUS_FAILED;
	}
	print("acpi ok\n");
	return STATUS_OK;
}
