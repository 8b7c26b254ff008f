// SPDX-License-Identifier: GPL-2.0-only
#include <arch/aml_writer.hpp>

namespace bh::x86_64 {
namespace {

// AML opcodes (ACPI 6.5, 20.2).
enum : u8 {
    kZeroOp = 0x00,
    kOneOp = 0x01,
    kNameOp = 0x08,
    kBytePrefix = 0x0a,
    kWordPrefix = 0x0b,
    kDWordPrefix = 0x0c,
    kStringPrefix = 0x0d,
    kQWordPrefix = 0x0e,
    kScopeOp = 0x10,
    kBufferOp = 0x11,
    kPackageOp = 0x12,
    kExtOpPrefix = 0x5b,
    kDeviceOp = 0x82, // after kExtOpPrefix
};

} // namespace

unsigned aml_pkg_length(usize content, u8 out[4]) {
    // One byte holds up to 63 in bits 5:0; with 1-3 more bytes, the lead
    // byte keeps 4 bits (3:0) and bits 7:6 count the bytes that follow.
    if (content + 1 <= 0x3f) {
        out[0] = static_cast<u8>(content + 1);
        return 1;
    }
    unsigned n = 2;
    while (n < 4 && content + n >= (usize(1) << (4 + 8 * (n - 1)))) ++n;
    const usize total = content + n;
    out[0] = static_cast<u8>(((n - 1) << 6) | (total & 0x0f));
    for (unsigned i = 1; i < n; ++i) out[i] = static_cast<u8>(total >> (4 + 8 * (i - 1)));
    return n;
}

void AmlWriter::byte(u8 b) {
    if (len_ >= cap_) {
        ok_ = false;
        return;
    }
    buf_[len_++] = b;
}

void AmlWriter::bytes(const void* p, usize n) {
    for (usize i = 0; i < n; ++i) byte(static_cast<const u8*>(p)[i]);
}

void AmlWriter::le(u64 v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) byte(static_cast<u8>(v >> (8 * i)));
}

void AmlWriter::name_seg(const char* seg) { bytes(seg, 4); }

void AmlWriter::integer(u64 v) {
    if (v == 0) return byte(kZeroOp);
    if (v == 1) return byte(kOneOp);
    if (v <= 0xff) {
        byte(kBytePrefix);
        return le(v, 1);
    }
    if (v <= 0xffff) {
        byte(kWordPrefix);
        return le(v, 2);
    }
    if (v <= 0xffffffffu) {
        byte(kDWordPrefix);
        return le(v, 4);
    }
    byte(kQWordPrefix);
    le(v, 8);
}

void AmlWriter::string(const char* s) {
    byte(kStringPrefix);
    while (*s) byte(static_cast<u8>(*s++));
    byte(0);
}

// Three letters of 5 bits each (A = 1), then four hex digits; the value's
// bytes in memory are those of the compressed ID, most significant first.
void AmlWriter::eisa_id(const char* id) {
    auto letter = [](char c) { return static_cast<u32>(c - '@') & 0x1f; };
    auto hex = [](char c) { return static_cast<u32>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10) & 0xf; };
    const u32 b0 = (letter(id[0]) << 2) | (letter(id[1]) >> 3);
    const u32 b1 = ((letter(id[1]) & 7) << 5) | letter(id[2]);
    const u32 b2 = (hex(id[3]) << 4) | hex(id[4]);
    const u32 b3 = (hex(id[5]) << 4) | hex(id[6]);
    byte(kDWordPrefix);
    le(b0 | (b1 << 8) | (b2 << 16) | (b3 << 24), 4);
}

void AmlWriter::name(const char* seg) {
    byte(kNameOp);
    name_seg(seg);
}

bool AmlWriter::insert(usize at, const u8* p, usize n) {
    if (!ok_ || len_ + n > cap_) {
        ok_ = false;
        return false;
    }
    for (usize i = len_; i > at; --i) buf_[i - 1 + n] = buf_[i - 1];
    for (usize i = 0; i < n; ++i) buf_[at + i] = p[i];
    len_ += n;
    return true;
}

void AmlWriter::close_package(usize start) {
    u8 enc[4];
    const unsigned n = aml_pkg_length(len_ - start, enc);
    insert(start, enc, n);
}

usize AmlWriter::open_scope(const char* path) {
    byte(kScopeOp);
    const usize start = open_package();
    while (*path) byte(static_cast<u8>(*path++));
    return start;
}

usize AmlWriter::open_device(const char* seg) {
    byte(kExtOpPrefix);
    byte(kDeviceOp);
    const usize start = open_package();
    name_seg(seg);
    return start;
}

usize AmlWriter::open_package_object(u8 count) {
    byte(kPackageOp);
    const usize start = open_package();
    byte(count); // NumElements
    return start;
}

usize AmlWriter::open_buffer() {
    byte(kBufferOp);
    return open_package();
}

void AmlWriter::close_buffer(usize start) {
    // The BufferSize term goes before the bytes, inside the package.
    u8 size[9];
    AmlWriter w(size, sizeof size);
    w.integer(len_ - start);
    insert(start, size, w.size());
    close_package(start);
}

} // namespace bh::x86_64
