/* The page check-and-write pass that dirty and dirtysmp share (dirtypass.c). */
#ifndef JBHYVE_GUEST_DIRTYPASS_H
#define JBHYVE_GUEST_DIRTYPASS_H

#include <stdint.h>

#define DIRTY_PAGE_SIZE 4096ul

/*
 * Pass n over count pages from base: the first and last 64-bit words of each
 * must hold n - 1, then both hold n. A page that does not prints "dirty bad
 * page <first_number + i> holds <first> <last> expected <n-1>" and exits with
 * status 1.
 */
void dirty_pass(uint64_t base, uint64_t count, uint64_t first_number, uint64_t n);

#endif
