/* spin: prints "spinning", then loops forever with interrupts off. */
#include "rt.h"

int main(void)
{
	print("spinning\n");
	__asm__ volatile("cli\n"
			 "1:\tjmp 1b" : : : "memory");
	__builtin_unreachable();
}
