/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host main for the allocator test binaries (tests/host/build.py): sets
 * up a default heap with the backend under test, as lib/alloc's heap.c
 * does in an image, then runs the CN_TEST cases linked in (all, or those
 * whose "suite.name" starts with argv[1]). Exit status 1 when any failed.
 *
 * Built with -DBACKEND_CREATE=cn_<name>_create.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <cairn/alloc_backend.h>
#include <cairn/test.h>

#ifndef BACKEND_CREATE
#error "build with -DBACKEND_CREATE=cn_<backend>_create"
#endif

#define HEAP_SIZE (64ul << 20)

struct cn_alloc *BACKEND_CREATE(void *base, size_t len);

int main(int argc, char *argv[])
{
	struct cn_alloc *heap;
	void *mem;

	mem = mmap(NULL, HEAP_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	heap = BACKEND_CREATE(mem, HEAP_SIZE);
	if (!heap) {
		fprintf(stderr, "cannot create the default heap\n");
		return 2;
	}
	cn_alloc_set_default(heap);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cn_test_run(argc > 1 ? argv[1] : NULL) ? 1 : 0;
}
