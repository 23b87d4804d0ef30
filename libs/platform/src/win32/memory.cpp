// release_free_memory on Windows: the C runtime's _heapmin.
#include "platform/memory.hpp"

#include <malloc.h>

namespace platform {

void release_free_memory() {
  (void)::_heapmin();
}

}  // namespace platform
