# SPDX-License-Identifier: GPL-2.0-only
# Flags shared by everything that runs without an OS: the hypervisor and the
# test guests. No exceptions, no RTTI, no static-init guards, no FP/SIMD in
# generated code (the hypervisor must not clobber a zone's FP registers).
# The architecture's own flags come first:
#   aarch64: data may be Device memory before the MMU is on (strict
#     alignment); no libgcc outline atomics.
#   x86_64: no red zone (interrupt and NMI frames land on the hypervisor's
#     stack); code linked below 2 GiB and run identity-mapped, so the small
#     code model without PIC.
if(CMAKE_SYSTEM_PROCESSOR STREQUAL "x86_64")
  set(BULKHEAD_ARCH_FLAGS -m64 -mgeneral-regs-only -mno-red-zone -mcmodel=small)
else()
  set(BULKHEAD_ARCH_FLAGS -mgeneral-regs-only -mstrict-align -mno-outline-atomics)
endif()
set(BULKHEAD_FREESTANDING_FLAGS
  -ffreestanding -fno-builtin -nostdlib -fno-stack-protector -fno-pic -fno-pie
  ${BULKHEAD_ARCH_FLAGS} -fno-omit-frame-pointer -ffunction-sections -fdata-sections
  -O2 -g)
set(BULKHEAD_FREESTANDING_CXX_FLAGS
  -fno-exceptions -fno-rtti -fno-use-cxa-atexit -fno-threadsafe-statics -fno-asynchronous-unwind-tables)
set(BULKHEAD_WARNINGS -Wall -Wextra -Werror -Wshadow -Wundef -Wno-missing-field-initializers)
set(BULKHEAD_FREESTANDING_LINK_FLAGS -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none
  -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments)

# bulkhead_flat_image(TARGET): objcopy TARGET's ELF into TARGET.bin beside it.
function(bulkhead_flat_image target)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${target}> $<TARGET_FILE_DIR:${target}>/${target}.bin
    COMMENT "objcopy ${target}.bin")
endfunction()
