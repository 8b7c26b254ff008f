// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/uart16550.hpp>

namespace bh {
namespace {

// Register offsets; with LCR.DLAB set, 0 and 1 are the divisor latch.
enum : u16 { kData = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };
constexpr u8 kLcrDlab = 0x80;
constexpr u8 kLsrDr = 0x01, kLsrThre = 0x20, kLsrTemt = 0x40; // always ready to transmit
constexpr u8 kIirNoInterrupt = 0x01, kIirThre = 0x02, kIirRxData = 0x04, kIirFifos = 0xc0;
constexpr u8 kIerRx = 0x01, kIerThre = 0x02;
constexpr u8 kMcrOut2 = 0x08, kMcrLoop = 0x10;
constexpr u8 kMsrCts = 0x10, kMsrDsr = 0x20, kMsrDcd = 0x80;

} // namespace

void Uart16550::attach(Zone& zone, ZoneConsole& console) {
    zone_ = &zone;
    console_ = &console;
    console.set_input_listener(input_arrived, this);
}

void Uart16550::input_arrived(void* self) {
    Uart16550& u = *static_cast<Uart16550*>(self);
    bool raise;
    {
        LockGuard g(u.lock_);
        raise = u.interrupt_pending();
    }
    if (raise) arch::raise_zone_interrupt(*u.zone_, kInterruptLine);
}

bool Uart16550::access(Vcpu&, DeviceAccess& a) {
    bool raise;
    {
        LockGuard g(lock_);
        raise = access_locked(a);
    }
    if (raise) arch::raise_zone_interrupt(*zone_, kInterruptLine);
    return true;
}

bool Uart16550::interrupt_pending() {
    bool rx = (ier_ & kIerRx) && console_->received_count() != 0;
    bool thre = (ier_ & kIerThre) && thre_pending_;
    return (rx || thre) && (mcr_ & kMcrOut2);
}

bool Uart16550::access_locked(DeviceAccess& a) {
    bool dlab = lcr_ & kLcrDlab;
    if (!a.write) {
        u8 v = 0;
        switch (a.offset) {
        case kData: {
            char c = 0;
            if (dlab)
                v = dll_;
            else if (console_->take_received(c))
                v = static_cast<u8>(c);
            break;
        }
        case kIer: v = dlab ? dlm_ : ier_; break;
        case kIirFcr: {
            // Highest-priority cause first; reading it clears "transmitter empty".
            u8 cause = kIirNoInterrupt;
            if ((ier_ & kIerRx) && console_->received_count() != 0)
                cause = kIirRxData;
            else if ((ier_ & kIerThre) && thre_pending_) {
                cause = kIirThre;
                thre_pending_ = false;
            }
            v = static_cast<u8>(cause | ((fcr_ & 1) ? kIirFifos : 0));
            break;
        }
        case kLcr: v = lcr_; break;
        case kMcr: v = mcr_; break;
        case kLsr: v = static_cast<u8>(kLsrThre | kLsrTemt | (console_->received_count() != 0 ? kLsrDr : 0)); break;
        // Loopback mode reflects MCR's outputs, as drivers probing the UART expect.
        case kMsr: v = (mcr_ & kMcrLoop) ? static_cast<u8>((mcr_ & 0x0f) << 4) : (kMsrCts | kMsrDsr | kMsrDcd); break;
        case kScr: v = scr_; break;
        default: break;
        }
        a.value = v;
        return a.offset == kData && interrupt_pending(); // more input left: raise again
    }
    u8 v = static_cast<u8>(a.value);
    switch (a.offset) {
    case kData:
        if (dlab)
            dll_ = v;
        else {
            if (!(mcr_ & kMcrLoop)) console_->write_byte(static_cast<char>(v));
            thre_pending_ = true; // sent at once: the holding register is empty again
        }
        break;
    case kIer:
        if (dlab)
            dlm_ = v;
        else {
            if ((v & kIerThre) && !(ier_ & kIerThre)) thre_pending_ = true;
            ier_ = v & 0x0f;
        }
        break;
    case kIirFcr: fcr_ = v & 0xc9; break;
    case kLcr: lcr_ = v; break;
    case kMcr: mcr_ = v & 0x1f; break;
    case kScr: scr_ = v; break;
    default: break; // LSR and MSR are read-only
    }
    return interrupt_pending();
}

} // namespace bh
