// SPDX-License-Identifier: GPL-2.0-only
// A small printf: enough for log lines, with no allocation and no libc.
#include <bulkhead/log.hpp>
#include <bulkhead/status.hpp>

namespace bh {
namespace {

struct Sink {
    char* buf;
    usize size;
    usize len = 0;
    void put(char c) {
        if (len + 1 < size) buf[len] = c;
        ++len;
    }
};

void put_unsigned(Sink& s, u64 v, unsigned base, unsigned width, bool zero, bool upper) {
    char tmp[24];
    unsigned n = 0;
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    while (width > n) {
        s.put(zero ? '0' : ' ');
        --width;
    }
    while (n) s.put(tmp[--n]);
}

} // namespace

usize vformat(char* buf, usize size, const char* fmt, va_list ap) {
    Sink s{buf, size};
    for (const char* p = fmt; *p; ++p) {
        if (*p != '%') {
            s.put(*p);
            continue;
        }
        ++p;
        bool zero = false, alt = false;
        for (;; ++p) {
            if (*p == '0')
                zero = true;
            else if (*p == '#')
                alt = true;
            else
                break;
        }
        unsigned width = 0;
        while (*p >= '0' && *p <= '9') width = width * 10 + static_cast<unsigned>(*p++ - '0');
        int longs = 0;
        while (*p == 'l') {
            ++longs;
            ++p;
        }
        if (*p == 'z') {
            longs = 1;
            ++p;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            i64 v = longs ? va_arg(ap, long long) : va_arg(ap, int);
            if (longs == 1) v = static_cast<long>(v);
            u64 mag = v < 0 ? u64(0) - static_cast<u64>(v) : static_cast<u64>(v);
            if (v < 0) {
                // printf: spaces, then the sign, then zeros and digits.
                unsigned digits = 1;
                for (u64 m = mag; m >= 10; m /= 10) ++digits;
                if (!zero)
                    for (; width > digits + 1; --width) s.put(' ');
                s.put('-');
                if (width) --width;
            }
            put_unsigned(s, mag, 10, width, zero, false);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            u64 v = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
            unsigned base = *p == 'u' ? 10 : 16;
            if (alt && base == 16) {
                s.put('0');
                s.put('x');
            }
            put_unsigned(s, v, base, width, zero, *p == 'X');
            break;
        }
        case 'p': {
            s.put('0');
            s.put('x');
            put_unsigned(s, reinterpret_cast<uintptr_t>(va_arg(ap, void*)), 16, width, zero, false);
            break;
        }
        case 's': {
            const char* str = va_arg(ap, const char*);
            if (!str) str = "(null)";
            usize n = 0;
            while (str[n]) ++n;
            while (width > n) {
                s.put(' ');
                --width;
            }
            for (usize i = 0; i < n; ++i) s.put(str[i]);
            break;
        }
        case 'c': s.put(static_cast<char>(va_arg(ap, int))); break;
        case '%': s.put('%'); break;
        case '\0': --p; break;
        default: s.put('%'); s.put(*p);
        }
    }
    if (size) buf[s.len < size ? s.len : size - 1] = '\0';
    return s.len < size ? s.len : (size ? size - 1 : 0);
}

usize format(char* buf, usize size, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    usize n = vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

const char* status_name(Status s) {
    switch (s) {
    case Status::ok: return "ok";
    case Status::not_supported: return "not supported";
    case Status::invalid_argument: return "invalid argument";
    case Status::permission_denied: return "permission denied";
    case Status::no_memory: return "out of memory";
    case Status::not_found: return "not found";
    case Status::bad_state: return "bad state";
    case Status::busy: return "busy";
    }
    return "unknown status";
}

} // namespace bh
