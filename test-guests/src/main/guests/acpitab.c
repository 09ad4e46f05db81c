/* ACPI table lookup with bounds checks (see acpitab.h). */
#include "acpitab.h"

int acpi_range_ok(uint64_t addr, uint64_t len)
{
	return addr != 0 && len < ACPI_LEN_LIMIT && addr < ACPI_ADDR_LIMIT &&
	       len <= ACPI_ADDR_LIMIT - addr;
}

uint8_t acpi_sum(uint64_t addr, uint32_t len)
{
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + peek8(addr + i));
	return sum;
}

int acpi_sig_is(uint64_t addr, const char *sig)
{
	for (int i = 0; i < 4; i++)
		if (peek8(addr + i) != (uint8_t)sig[i])
			return 0;
	return 1;
}

int acpi_rsdp_check(uint64_t addr)
{
	if (acpi_sum(addr, 20) != 0)
		return RSDP_BAD_CHECKSUM;
	if (peek8(addr + 15) >= 2) {
		uint32_t len = peek32(addr + 20);
		if (len < 36 || !acpi_range_ok(addr, len) || acpi_sum(addr, len) != 0)
			return RSDP_BAD_EXTENDED;
	}
	return RSDP_OK;
}

uint64_t acpi_rsdp_scan(uint64_t from)
{
	for (uint64_t a = (from + 15) & ~15ULL; a < ACPI_RSDP_SCAN_END; a += 16)
		if (peek32(a) == 0x20445352u && peek32(a + 4) == 0x20525450u) /* "RSD PTR " */
			return a;
	return 0;
}

uint64_t acpi_find_rsdp(void)
{
	for (uint64_t a = acpi_rsdp_scan(ACPI_RSDP_SCAN_START); a != 0; a = acpi_rsdp_scan(a + 16))
		if (acpi_rsdp_check(a) == RSDP_OK)
			return a;
	return 0;
}

int acpi_table_check(uint64_t addr)
{
	if (!acpi_range_ok(addr, ACPI_SDT_HEADER_LEN))
		return TABLE_OUT_OF_RANGE;
	uint32_t len = peek32(addr + 4);
	if (len < ACPI_SDT_HEADER_LEN || !acpi_range_ok(addr, len))
		return TABLE_BAD_LENGTH;
	return acpi_sum(addr, len) == 0 ? TABLE_OK : TABLE_BAD_CHECKSUM;
}

uint64_t acpi_root_table(uint64_t rsdp, unsigned *entry_size)
{
	if (peek8(rsdp + 15) >= 2) {
		uint64_t xsdt = peek64(rsdp + 24);
		if (xsdt != 0) {
			*entry_size = 8;
			return xsdt;
		}
	}
	*entry_size = 4;
	return peek32(rsdp + 16);
}

uint64_t acpi_root_entry(uint64_t root, unsigned entry_size, uint32_t i)
{
	uint64_t a = root + ACPI_SDT_HEADER_LEN + (uint64_t)i * entry_size;
	return entry_size == 8 ? peek64(a) : peek32(a);
}

uint32_t acpi_root_count(uint64_t root, unsigned entry_size)
{
	return (peek32(root + 4) - ACPI_SDT_HEADER_LEN) / entry_size;
}

uint64_t acpi_find_table(uint64_t rsdp, const char *sig)
{
	unsigned size;
	uint64_t root = acpi_root_table(rsdp, &size);
	if (acpi_table_check(root) != TABLE_OK)
		return 0;
	uint32_t n = acpi_root_count(root, size);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t t = acpi_root_entry(root, size, i);
		if (acpi_range_ok(t, ACPI_SDT_HEADER_LEN) && acpi_sig_is(t, sig) &&
		    acpi_table_check(t) == TABLE_OK)
			return t;
	}
	return 0;
}
