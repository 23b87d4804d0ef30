// platform/memory.hpp: handing memory the program freed back to the operating system.
#pragma once

namespace platform {

// Returns free heap memory to the system. A large config (a plant of 100,000 tags is a 6 MB TOML
// file whose parse tree takes ~100 MB for a moment) leaves the heap that large after it is
// freed; the logger then runs for months with that resident. Call it after such a peak.
// - glibc: malloc_trim(0), which also releases free pages inside the heap (not only its top).
// - Windows: _heapmin() (the C runtime's heap gives back what it can).
// - Others: nothing.
void release_free_memory();

}  // namespace platform
