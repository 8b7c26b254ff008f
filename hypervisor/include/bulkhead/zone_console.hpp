// SPDX-License-Identifier: GPL-2.0-only
// A zone's console, whatever UART model the zone's platform shows it (a
// PL011 on arm64, a 16550 on x86-64): what it transmits is collected per
// line and written to the host console tagged with the zone's name (within
// its console budget); what is typed for it waits in a receive FIFO.
//
// A line is written as `[name] text`. One longer than kLineMax bytes goes
// out in pieces, each but the last tagged `[name]+ ` ("continues on the
// zone's next line"), so tools join them back (scripts/run-zone does): the
// tag is the hypervisor's, a zone cannot forge it. Printable ASCII, tabs
// and well-formed UTF-8 (but the C1 controls U+0080-U+009F) pass through;
// every other byte becomes '.', so a zone cannot drive the host's terminal.
// Carriage returns are dropped.
// Console text is display only: nothing a zone prints changes how the
// hypervisor records it (zone init reports its workload's end with
// BH_HC_ZONE_EXIT).
#pragma once

#include <bulkhead/spinlock.hpp>
#include <bulkhead/types.hpp>

namespace bh {

class Zone;

class ZoneConsole {
  public:
    static constexpr u32 kRxFifo = 64;
    static constexpr usize kLineMax = 1024;

    void attach(Zone& zone) { zone_ = &zone; }
    // The UART model in front of this console: told when input arrives, so
    // it can raise its interrupt.
    void set_input_listener(void (*fn)(void* model), void* model) {
        listener_ = fn;
        listener_model_ = model;
    }
    // The counter value when the zone started, for the boot-time report a
    // zone init's "BULKHEAD-START" line triggers.
    void set_start_time(u64 ticks) { started_at_ = ticks; }

    // One transmitted byte.
    void write_byte(char c);
    // Input from the host console; false if the receive FIFO is full.
    bool receive(char c);
    // Takes the oldest received byte; false if there is none.
    bool take_received(char& c);
    u32 received_count();
    // Writes out a partial line (the zone ended, or is about to).
    void flush();

  private:
    void emit_line(bool continues);
    void append(char c);
    void utf8_byte(u8 b);
    void utf8_abandon();

    Spinlock lock_{LockLevel::console_buffer};
    Zone* zone_ = nullptr;
    char line_[kLineMax];
    usize len_ = 0;
    bool continuing_ = false; // line_ holds the rest of a line already partly written
    u8 utf8_[4];              // a multi-byte sequence being checked
    u8 utf8_len_ = 0, utf8_need_ = 0;
    char rx_[kRxFifo];
    u32 rx_head_ = 0, rx_count_ = 0;
    u64 started_at_ = 0;
    void (*listener_)(void*) = nullptr;
    void* listener_model_ = nullptr;
};

} // namespace bh
