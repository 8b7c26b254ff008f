// SPDX-License-Identifier: GPL-2.0-only
// The printf subset test zones need; no floating point.
#include <guest/format.hpp>

namespace bh {
namespace {

class Out {
  public:
    Out(char* buf, usize size) : buf_(buf), size_(size) {}
    void put(char c) {
        if (len_ + 1 < size_) buf_[len_] = c;
        ++len_;
    }
    usize finish() {
        if (size_ == 0) return 0;
        usize end = len_ < size_ ? len_ : size_ - 1;
        buf_[end] = '\0';
        return end;
    }

  private:
    char* buf_;
    usize size_;
    usize len_ = 0;
};

struct Spec {
    bool left = false;
    bool zero = false;
    u32 width = 0;
};

void pad(Out& out, u32 n, char c) {
    for (u32 i = 0; i < n; ++i) out.put(c);
}

void emit(Out& out, const Spec& spec, const char* s, u32 len, bool negative) {
    u32 total = len + (negative ? 1 : 0);
    u32 fill = spec.width > total ? spec.width - total : 0;
    if (!spec.left && !spec.zero) pad(out, fill, ' ');
    if (negative) out.put('-');
    if (!spec.left && spec.zero) pad(out, fill, '0');
    for (u32 i = 0; i < len; ++i) out.put(s[i]);
    if (spec.left) pad(out, fill, ' ');
}

void number(Out& out, const Spec& spec, u64 v, u32 base, bool upper, bool negative) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    u32 n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    char rev[24];
    for (u32 i = 0; i < n; ++i) rev[i] = tmp[n - 1 - i];
    emit(out, spec, rev, n, negative);
}

} // namespace

usize vformat(char* buf, usize size, const char* fmt, va_list ap) {
    Out out(buf, size);
    for (const char* p = fmt; *p; ++p) {
        if (*p != '%') {
            out.put(*p);
            continue;
        }
        ++p;
        Spec spec;
        for (;; ++p) {
            if (*p == '-')
                spec.left = true;
            else if (*p == '0')
                spec.zero = true;
            else
                break;
        }
        while (*p >= '0' && *p <= '9') spec.width = spec.width * 10 + static_cast<u32>(*p++ - '0');
        int longs = 0;
        while (*p == 'l' || *p == 'z') {
            longs += *p == 'z' ? 2 : 1;
            ++p;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            i64 v = longs ? va_arg(ap, long long) : va_arg(ap, int);
            bool neg = v < 0;
            number(out, spec, neg ? 0 - static_cast<u64>(v) : static_cast<u64>(v), 10, false, neg);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            u64 v = longs ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
            number(out, spec, v, *p == 'u' ? 10 : 16, *p == 'X', false);
            break;
        }
        case 'p': {
            out.put('0');
            out.put('x');
            number(out, spec, reinterpret_cast<uptr>(va_arg(ap, void*)), 16, false, false);
            break;
        }
        case 's': {
            const char* s = va_arg(ap, const char*);
            if (!s) s = "(null)";
            u32 len = 0;
            while (s[len]) ++len;
            Spec text = spec;
            text.zero = false;
            emit(out, text, s, len, false);
            break;
        }
        case 'c': {
            char c = static_cast<char>(va_arg(ap, int));
            emit(out, spec, &c, 1, false);
            break;
        }
        case '%': out.put('%'); break;
        case '\0': return out.finish();
        default:
            out.put('%');
            out.put(*p);
            break;
        }
    }
    return out.finish();
}

usize format(char* buf, usize size, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    usize n = vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

} // namespace bh
