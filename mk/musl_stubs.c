/* Stand-ins for the two glibc-only symbols that gcc's libstdc++.a references, so it
 * links into a musl static binary (`make static`, mk/static.mk). Compiled with musl-gcc.
 * Debian has no libstdc++ built for musl; the one gcc ships was built against glibc. */

/* glibc sets this to 1 while the process has one thread; libstdc++ then skips atomic
 * instructions (shared_ptr counts, locale refcounts). 0 means "always use atomics",
 * which is correct whatever the program does; the cost is a few locked instructions. */
char __libc_single_threaded = 0;

/* glibc 2.35+ API the unwinder calls to find a PC's unwind tables. statd is built with
 * -fno-exceptions, so nothing ever unwinds through it; -1 means "not found", which the
 * unwinder handles by falling back to dl_iterate_phdr. */
struct dl_find_object;
int _dl_find_object(void *pc, struct dl_find_object *result);
int _dl_find_object(void *pc, struct dl_find_object *result) {
  (void)pc;
  (void)result;
  return -1;
}
