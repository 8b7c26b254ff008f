// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <bulkhead/manifest.hpp>

namespace bh {

// Creates every zone of the manifest, loads its images and starts them.
// On any failure nothing is left created and false is returned.
bool create_boot_zones(const Manifest& m);

} // namespace bh
