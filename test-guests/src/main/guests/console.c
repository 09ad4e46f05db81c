/* Console output, exit and the few libc functions the compiler may call. */
#include "rt.h"

void guest_exit(uint8_t status)
{
	outb(status, EXIT_PORT);
	halt_forever();
}

void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli\n\thlt" : : : "memory");
}

void print_char(char c)
{
	outb((uint8_t)c, SERIAL_PORT);
}

void print(const char *s)
{
	while (*s)
		print_char(*s++);
}

void print_hex(uint64_t v)
{
	char buf[16];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (n)
		print_char(buf[--n]);
}

void print_hex_pad(uint64_t v, unsigned digits)
{
	while (digits--)
		print_char("0123456789abcdef"[(v >> (4 * digits)) & 0xf]);
}

void print_dec(uint64_t v)
{
	char buf[20];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		print_char(buf[--n]);
}

static volatile uint32_t console_lock_word;

void console_lock(void)
{
	uint32_t old;
	for (;;) {
		old = 1;
		__asm__ volatile("lock xchgl %0, %1" : "+r"(old), "+m"(console_lock_word) : : "memory");
		if (old == 0)
			return;
		while (console_lock_word)
			cpu_pause();
	}
}

void console_unlock(void)
{
	barrier();
	console_lock_word = 0;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}
