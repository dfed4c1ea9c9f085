#include "base/random.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/random.h>
#include <unistd.h>

void random_bytes(void* buf, size_t size) {
  uint8_t* p = static_cast<uint8_t*>(buf);
  while (size > 0) {
    ssize_t n = getrandom(p, size, 0);
    if (n <= 0) {
      int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
      n = fd >= 0 ? read(fd, p, size) : -1;
      if (fd >= 0) close(fd);
      if (n <= 0) return;
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
}
