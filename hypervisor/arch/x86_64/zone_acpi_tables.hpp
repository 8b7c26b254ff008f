// SPDX-License-Identifier: GPL-2.0-only
// The pieces build_zone_acpi (zone_acpi.cpp) puts together: the common
// table header, and the DSDT (zone_dsdt.cpp).
#pragma once

#include <arch/acpi_layout.hpp>
#include <arch/zone_acpi.hpp>

namespace bh::x86_64 {

// Fills in the header of the `length`-byte table it starts (the table's
// contents written already) and its checksum, so it comes last.
void acpi_seal_table(acpi::SdtHeader& h, const char* signature, u8 revision, usize length);

// Writes the DSDT (header and AML) to buf: its length, 0 if `size` is too
// small.
usize write_zone_dsdt(const ZoneAcpiConfig& c, u8* buf, usize size);

} // namespace bh::x86_64
