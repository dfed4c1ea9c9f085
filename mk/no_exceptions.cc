// Static builds only (mk/static.mk): stand-ins that keep libstdc++'s
// exception machinery out of the binary.
//
// statd is compiled with -fno-exceptions, but libstdc++.a was not: its
// std::string instantiation (string-inst.o) has catch blocks and unwind
// tables, and operator new and std::__throw_* throw. Linking them pulls in
// the unwinder, the personality routine, the verbose terminate handler and
// the C++ demangler: about 60 KB of a 300 KB budget for code that can never
// run usefully here. Defining these symbols ourselves means the archive
// members are never pulled in. Every path that would have thrown (out of
// memory, a length error) aborts instead, which is what an uncaught
// exception in a -fno-exceptions program did anyway.
#include <stdio.h>
#include <stdlib.h>

#include <new>

[[noreturn]] static void fatal(const char* what) {
  fprintf(stderr, "fatal: %s\n", what);
  abort();
}

void* operator new(size_t size) {
  void* p = malloc(size ? size : 1);
  if (!p) fatal("out of memory");
  return p;
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }
void operator delete[](void* p, size_t) noexcept { free(p); }

namespace std {
void __throw_bad_alloc() { fatal("out of memory"); }
void __throw_bad_array_new_length() { fatal("bad array length"); }
void __throw_length_error(const char* s) { fatal(s); }
void __throw_logic_error(const char* s) { fatal(s); }
void __throw_out_of_range(const char* s) { fatal(s); }
void __throw_out_of_range_fmt(const char* s, ...) { fatal(s); }
void __throw_invalid_argument(const char* s) { fatal(s); }
void __throw_bad_function_call() { fatal("bad function call"); }
}  // namespace std

// Referenced by the unwind tables and landing pads of libstdc++'s own
// (exception-enabled) string code; never reached because nothing throws.
extern "C" {
void* __cxa_begin_catch(void*) noexcept { fatal("exception"); }
void __cxa_end_catch() { fatal("exception"); }
void __cxa_rethrow() { fatal("exception"); }
int __gxx_personality_v0() { fatal("exception"); }
// Weak: on 32-bit ARM every function's unwind table names a personality
// routine (__aeabi_unwind_cpp_pr0) that only libgcc_eh has, and that brings
// its own _Unwind_Resume; then the real one wins, harmlessly.
__attribute__((weak)) void _Unwind_Resume(void*) { fatal("exception"); }
void __cxa_pure_virtual() { fatal("pure virtual call"); }
}
