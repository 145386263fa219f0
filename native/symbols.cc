#include "symbols.h"

#include <dlfcn.h>

// glibc 2.34 moved dlsym into libc as dlsym@GLIBC_2.34; binding to that
// version would stop the addon loading on older glibc. Pin the oldest
// version each architecture has (the symbol still exists under it).
#if defined(__GLIBC__)
#if defined(__x86_64__)
__asm__(".symver dlsym,dlsym@GLIBC_2.2.5");
#elif defined(__aarch64__)
__asm__(".symver dlsym,dlsym@GLIBC_2.17");
#endif
#endif

namespace mallinfo {

void* LookupSymbol(const char* name) {
  return dlsym(RTLD_DEFAULT, name);
}

}  // namespace mallinfo
