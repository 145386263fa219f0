// Test driver for ParseUnsignedFields (native/procfs.cc): reads one input per
// line from stdin (a line's '\n' is part of what is parsed, as in statm) and
// prints how many fields parsed, then the values, one line per input.
#include <cstdio>
#include <iostream>
#include <string>

#include "../../native/procfs.h"

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    line.push_back('\n');
    double out[7];
    const int parsed = mallinfo::ParseUnsignedFields(line.data(), static_cast<long>(line.size()), out, 7);
    std::printf("%d", parsed);
    for (int i = 0; i < parsed; ++i) std::printf(" %.0f", out[i]);
    std::printf("\n");
  }
  return 0;
}
