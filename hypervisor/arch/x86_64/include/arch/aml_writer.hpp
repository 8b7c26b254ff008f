// SPDX-License-Identifier: GPL-2.0-only
// An encoder for the few ACPI Machine Language terms a zone's DSDT needs
// (ACPI 6.5, chapter 20): name segments, integer and string constants,
// named objects and the packages (Scope, Device, Buffer, Package) that carry a
// PkgLength. A package's length is known only once its contents are
// written, so the contents go first and the PkgLength is inserted before
// them when the package closes: the encoding stays the shortest one, as
// iasl writes it. Writes past the buffer's end are dropped and make ok()
// false. Pure, also compiled into the host unit tests.
#pragma once

#include <bulkhead/types.hpp>

namespace bh::x86_64 {

class AmlWriter {
  public:
    AmlWriter(u8* buf, usize capacity) : buf_(buf), cap_(capacity) {}

    bool ok() const { return ok_; }
    usize size() const { return len_; }

    void byte(u8 b);
    void bytes(const void* p, usize n);
    void le(u64 v, unsigned n); // n bytes, little endian
    // A 4-character NameSeg ("_HID", "COM1").
    void name_seg(const char* seg);
    // The shortest integer term: ZeroOp, OneOp, Byte/Word/DWord/QWordConst.
    void integer(u64 v);
    // StringPrefix, the characters, NUL.
    void string(const char* s);
    // An EISA ID ("PNP0501") as the DWordConst ASL's EisaId() makes.
    void eisa_id(const char* id);

    // Name(seg, ...): the caller writes the object after this.
    void name(const char* seg);
    // The start of a package's contents; close_package inserts its
    // PkgLength there.
    usize open_package() { return len_; }
    void close_package(usize start);
    // Scope(path) and Device(seg): open_package() follows inside.
    usize open_scope(const char* path); // a NameString, e.g. "_SB_"
    usize open_device(const char* seg);
    // Package(count){ ... }: the elements follow; close_package ends it.
    usize open_package_object(u8 count);
    // Buffer(){ bytes }: the contents (a resource template) follow;
    // close_buffer inserts the BufferSize and the PkgLength.
    usize open_buffer();
    void close_buffer(usize start);

  private:
    bool insert(usize at, const u8* p, usize n);

    u8* buf_;
    usize cap_;
    usize len_ = 0;
    bool ok_ = true;
};

// Encodes a PkgLength for `content` bytes of package contents (the
// PkgLength counts itself): the bytes in out[0..return value).
unsigned aml_pkg_length(usize content, u8 out[4]);

} // namespace bh::x86_64
