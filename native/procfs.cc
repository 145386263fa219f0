#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

namespace mallinfo {

StatmReader::StatmReader(const char* path)
    : fd_(open(path, O_RDONLY | O_CLOEXEC)),
      page_size_(static_cast<double>(PageSize())) {}

StatmReader::~StatmReader() {
  if (fd_ >= 0) close(fd_);
}

long StatmReader::PageSize() {
  static const long size = sysconf(_SC_PAGESIZE);
  return size;
}

bool StatmReader::Read(double* out) const {
  if (fd_ < 0) return false;
  char text[256];  // seven integers of at most 20 digits each fit with room
  ssize_t length;
  do {
    length = pread(fd_, text, sizeof(text), 0);
  } while (length < 0 && errno == EINTR);
  if (length <= 0) return false;
  double pages[kFieldCount];
  if (ParseUnsignedFields(text, length, pages, kFieldCount) != kFieldCount) {
    return false;
  }
  for (int i = 0; i < kFieldCount; ++i) out[i] = pages[i] * page_size_;
  return true;
}

int ParseUnsignedFields(const char* text, long length, double* out, int count) {
  int parsed = 0;
  long i = 0;
  while (parsed < count && i < length) {
    while (i < length && text[i] == ' ') ++i;
    if (i >= length || text[i] < '0' || text[i] > '9') break;
    double value = 0;
    while (i < length && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    out[parsed++] = value;
    if (i < length && text[i] != ' ' && text[i] != '\n') break;
  }
  return parsed;
}

}  // namespace mallinfo
